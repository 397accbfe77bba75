import {
  type CrossAccountConfig,
  type DestinationConfig,
  destinationRoleName,
  MAX_CHAINED_SESSION_SECONDS,
  type PrincipalAccess,
} from "../../stacks/config";
import { UsageError } from "../shared/process";
import { CREDENTIAL_FORMATS as FORMATS, type CredentialFormat as Format } from "./credential-formats";

const ACCESS: readonly PrincipalAccess[] = ["read", "write", "read-write"];
const VALUE_OPTIONS = [
  "--duration",
  "--format",
  "--access",
  "--mfa-serial",
  "--mfa-code",
  "--source-profile",
  "--user",
  "--output",
] as const;
/** Everything after it is the command to run with the credentials. */
export const EXEC_OPTION = "--exec";
const FLAGS = ["--print-profiles"] as const;

export const USAGE = `Usage: npm run assume -- <destination> [--access read|write|read-write] [--duration <seconds>]
                         [--format env|json|credential-process] [--mfa-serial <arn> --mfa-code <code>]
       npm run assume -- <destination> [options] --exec -- <command> [<args>...]
       npm run assume -- --print-profiles [--source-profile <name>] [--user <name>] [--output <file>]

Assumes a destination's role with your current AWS credentials and prints them:
  env                 shell exports: eval "$(npm run --silent assume -- destination)"
  json                the STS credentials as JSON
  credential-process  for ~/.aws/config: credential_process = npx tsx <project>/scripts/assume.ts destination --format credential-process

<destination> is a destination's name ("destination" for the singular config form) or its account id when only
one destination is in that account. --access picks the destination's role for that access (default: the
destination's own, the writer's role); source principals with less access have roles of their own. With MFA
required, give your MFA device and a current code (or use MFA session credentials).
--exec runs the command with the credentials in its environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_SESSION_TOKEN, AWS_REGION, AWS_DEFAULT_REGION; AWS_PROFILE cleared) and exits with its exit code, like
aws-vault exec; with --via too.
--print-profiles prints a ready ~/.aws/config profile for every source principal (sourcePrincipals) and
destination, named <principal>.<destination>-<access>; --source-profile names the operators' own profile in them
(default "default"), --user only that operator's, --output writes them into a config file (replacing profiles of
the same name, keeping everything else) instead of printing, e.g. --output ~/.aws/config.
The config comes from CROSS_ACCOUNT_CONFIG.`;

/** What `npm run assume` was asked: assume one role, or print the principals' profiles. */
export type AssumeCommand =
  | {
      readonly kind: "assume";
      readonly destination: DestinationConfig;
      readonly roleArn: string;
      readonly durationSeconds: number;
      readonly format: Format;
      readonly mfa?: { readonly serialNumber: string; readonly tokenCode: string };
      /** Run this command with the credentials instead of printing them. */
      readonly exec?: readonly string[];
    }
  | {
      readonly kind: "print-profiles";
      readonly sourceProfile: string;
      /** Only this operator's profiles. @default - every principal's */
      readonly user?: string;
      /** Write them into this config file instead of printing them. */
      readonly output?: string;
    };

/**
 * The arguments before `--exec` and the command after it (one `--` after `--exec` is skipped, as aws-vault exec
 * takes it); throws {@link UsageError} when the command is missing or would be printed instead (`--format`).
 */
export function splitExec(args: readonly string[]): { readonly own: readonly string[]; readonly exec?: string[] } {
  const at = args.indexOf(EXEC_OPTION);
  if (at < 0) return { own: args };
  const own = args.slice(0, at);
  const exec = args.slice(args[at + 1] === "--" ? at + 2 : at + 1);
  if (exec.length === 0)
    throw new UsageError(`${EXEC_OPTION} needs a command after it, e.g. ${EXEC_OPTION} -- aws sts get-caller-identity`);
  if (own.includes("--format"))
    throw new UsageError(`--format prints the credentials and ${EXEC_OPTION} runs a command with them: give one`);
  if (own.includes("--print-profiles")) throw new UsageError(`--print-profiles takes no ${EXEC_OPTION}`);
  return { own, exec };
}

function destinationNamed(config: CrossAccountConfig, positional: readonly string[]): DestinationConfig {
  const byAccount = (accountId: string) =>
    config.destinations.filter((destination) => destination.accountId === accountId);
  const accounts = new Set(config.destinations.map((destination) => destination.accountId));
  const known = [
    ...config.destinations.map((destination) => destination.name),
    ...[...accounts].filter((accountId) => byAccount(accountId).length === 1),
  ];
  const [name] = positional;
  const destination =
    positional.length === 1
      ? (config.destinations.find((candidate) => candidate.name === name) ??
        (known.includes(name) ? byAccount(name)[0] : undefined))
      : undefined;
  if (!destination) {
    const allowed = known.map((candidate) => JSON.stringify(candidate)).join(" or ");
    throw new UsageError(`unknown destination ${JSON.stringify(positional.join(" "))}; allowed: ${allowed}`);
  }
  return destination;
}

/** The command line as a typed command; throws {@link UsageError} naming the bad value and what is allowed. */
export function parseArguments(all: readonly string[], config: CrossAccountConfig): AssumeCommand {
  const { own: args, exec } = splitExec(all);
  const positional: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if ((VALUE_OPTIONS as readonly string[]).includes(arg)) {
      const value = args[index + 1];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      values.set(arg, value);
      index += 1;
    } else if ((FLAGS as readonly string[]).includes(arg)) {
      flags.add(arg);
    } else if (arg.startsWith("--")) {
      throw new UsageError(
        `unknown option ${JSON.stringify(arg)}; allowed: ${[...VALUE_OPTIONS, ...FLAGS].join(", ")}`,
      );
    } else {
      positional.push(arg);
    }
  }
  if (flags.has("--print-profiles")) {
    if (positional.length > 0)
      throw new UsageError(`--print-profiles takes no destination, got ${JSON.stringify(positional.join(" "))}`);
    return printProfiles(values, config);
  }
  for (const option of ["--user", "--output", "--source-profile"])
    if (values.has(option)) throw new UsageError(`${option} goes with --print-profiles`);
  const destination = destinationNamed(config, positional);
  const format = values.get("--format") ?? "env";
  if (!FORMATS.includes(format as Format))
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  const access = (values.get("--access") ?? destination.access) as PrincipalAccess;
  if (!ACCESS.includes(access)) {
    throw new UsageError(`--access must be one of ${ACCESS.join(", ")}, got ${JSON.stringify(access)}`);
  }
  if (destination.access !== "read-write" && access !== destination.access) {
    throw new UsageError(
      `--access ${access} is not offered by destination ${destination.name}: its access is ${destination.access}`,
    );
  }
  const duration = values.get("--duration") ?? String(MAX_CHAINED_SESSION_SECONDS);
  const seconds = Number(duration);
  const max = config.maxSessionDurationSeconds;
  if (!Number.isInteger(seconds) || seconds < 900 || seconds > max) {
    throw new UsageError(
      `--duration must be a whole number of seconds from 900 to ${max} (the role's maximum session), got ${JSON.stringify(duration)}`,
    );
  }
  const [serialNumber, tokenCode] = [values.get("--mfa-serial"), values.get("--mfa-code")];
  if ((serialNumber === undefined) !== (tokenCode === undefined)) {
    throw new UsageError("--mfa-serial and --mfa-code go together: give both or neither");
  }
  return {
    kind: "assume",
    destination,
    roleArn: `arn:aws:iam::${destination.accountId}:role/${destinationRoleName(destination, access)}`,
    durationSeconds: seconds,
    format: format as Format,
    ...(serialNumber && tokenCode ? { mfa: { serialNumber, tokenCode } } : {}),
    ...(exec ? { exec } : {}),
  };
}

function printProfiles(values: ReadonlyMap<string, string>, config: CrossAccountConfig): AssumeCommand {
  const user = values.get("--user");
  const users = [...new Set(config.sourcePrincipals.operators.flatMap((group) => group.users.map(({ name }) => name)))];
  if (user !== undefined && !users.includes(user)) {
    const allowed = users.length > 0 ? users.map((name) => JSON.stringify(name)).join(", ") : "none configured";
    throw new UsageError(
      `--user ${JSON.stringify(user)} is no operator of sourcePrincipals.operators; allowed: ${allowed}`,
    );
  }
  const output = values.get("--output");
  return {
    kind: "print-profiles",
    sourceProfile: values.get("--source-profile") ?? "default",
    ...(user !== undefined ? { user } : {}),
    ...(output !== undefined ? { output } : {}),
  };
}
