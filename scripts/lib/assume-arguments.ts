import {
  type CrossAccountConfig,
  type DestinationConfig,
  destinationRoleName,
  MAX_CHAINED_SESSION_SECONDS,
  type PrincipalAccess,
} from "../../stacks/config";
import { CREDENTIAL_FORMATS as FORMATS, type CredentialFormat as Format } from "./credential-formats";
import { UsageError } from "./process";

const ACCESS: readonly PrincipalAccess[] = ["read", "write", "read-write"];
const VALUE_OPTIONS = ["--duration", "--format", "--access", "--mfa-serial", "--mfa-code", "--source-profile"] as const;
const FLAGS = ["--print-profiles"] as const;

export const USAGE = `Usage: npm run assume -- <destination> [--access read|write|read-write] [--duration <seconds>]
                         [--format env|json|credential-process] [--mfa-serial <arn> --mfa-code <code>]
       npm run assume -- --print-profiles [--source-profile <name>]

Assumes a destination's role with your current AWS credentials and prints them:
  env                 shell exports: eval "$(npm run --silent assume -- destination)"
  json                the STS credentials as JSON
  credential-process  for ~/.aws/config: credential_process = npx tsx <project>/scripts/assume.ts destination --format credential-process

<destination> is a destination's name ("destination" for the singular config form) or its account id when only
one destination is in that account. --access picks the destination's role for that access (default: the
destination's own, the writer's role); source principals with less access have roles of their own. With MFA
required, give your MFA device and a current code (or use MFA session credentials).
--print-profiles prints a ready ~/.aws/config profile for every source principal (sourcePrincipals) and
destination; --source-profile names the operators' own profile in them (default "default").
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
    }
  | { readonly kind: "print-profiles"; readonly sourceProfile: string };

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
export function parseArguments(args: readonly string[], config: CrossAccountConfig): AssumeCommand {
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
    return { kind: "print-profiles", sourceProfile: values.get("--source-profile") ?? "default" };
  }
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
  };
}
