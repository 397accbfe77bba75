import * as os from "node:os";
import { AssumeRoleCommand, type Credentials, STSClient } from "@aws-sdk/client-sts";
import { ConfigError, type CrossAccountConfig, type DestinationConfig, loadConfig } from "../stacks/config";
import { CREDENTIAL_FORMATS, type CredentialFormat, formatCredentials } from "./lib/credential-formats";
import { UsageError } from "./lib/process";
import { VIA_OPTION, VIA_USAGE, vendVia } from "./lib/vend-client";

const FORMATS = CREDENTIAL_FORMATS;
type Format = CredentialFormat;

const USAGE = `Usage: npm run assume -- <destination> [--duration <seconds>] [--format env|json|credential-process]

Assumes the destination role with your current AWS credentials and prints them:
  env                 shell exports: eval "$(npm run --silent assume -- destination)"
  json                the STS credentials as JSON
  credential-process  for ~/.aws/config: credential_process = npx tsx <project>/scripts/assume.ts destination --format credential-process

<destination> is a destination's name ("destination" for the singular config form) or its account id when only
one destination is in that account. The config comes from CROSS_ACCOUNT_CONFIG.

${VIA_USAGE}`;

interface Arguments {
  readonly destination: DestinationConfig;
  readonly durationSeconds: number;
  readonly format: Format;
}

export function parseArguments(args: readonly string[], config: CrossAccountConfig): Arguments {
  const positional: string[] = [];
  let duration = "3600";
  let format = "env";
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === "--duration" || arg === "--format") {
      const value = args[index + 1];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      if (arg === "--duration") duration = value;
      else format = value;
      index += 1;
    } else if (arg.startsWith("--")) {
      throw new UsageError(`unknown option ${JSON.stringify(arg)}; allowed: --duration, --format`);
    } else {
      positional.push(arg);
    }
  }
  const byAccount = (accountId: string) =>
    config.destinations.filter((destination) => destination.accountId === accountId);
  const known = [
    ...config.destinations.map((destination) => destination.name),
    ...new Set(
      config.destinations
        .map((destination) => destination.accountId)
        .filter((accountId) => byAccount(accountId).length === 1),
    ),
  ];
  const destination =
    positional.length === 1
      ? (config.destinations.find((candidate) => candidate.name === positional[0]) ??
        (known.includes(positional[0]) ? byAccount(positional[0])[0] : undefined))
      : undefined;
  if (!destination) {
    throw new UsageError(
      `unknown destination ${JSON.stringify(positional.join(" "))}; allowed: ${known.map((name) => JSON.stringify(name)).join(" or ")}`,
    );
  }
  if (!FORMATS.includes(format as Format))
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  const seconds = Number(duration);
  const max = config.maxSessionDurationSeconds;
  if (!Number.isInteger(seconds) || seconds < 900 || seconds > max) {
    throw new UsageError(
      `--duration must be a whole number of seconds from 900 to ${max} (the role's maximum session), got ${JSON.stringify(duration)}`,
    );
  }
  return { destination, durationSeconds: seconds, format: format as Format };
}

/** What to check for each way AssumeRole can fail. */
export function explain(error: Error, roleArn: string, durationSeconds: number): string {
  switch (error.name) {
    case "AccessDenied":
      return `you may not assume ${roleArn}: check that your identity policy allows sts:AssumeRole on it, and that the role's trust names you (config trustedPrincipals; with MFA required, use MFA credentials). AWS said: ${error.message}`;
    case "ExpiredToken":
    case "ExpiredTokenException":
      return `your AWS credentials have expired: log in again (e.g. aws sso login) and retry. AWS said: ${error.message}`;
    case "ValidationError":
      return `AWS refused the request for ${roleArn} (a --duration of ${durationSeconds} s above the role's maximum session, or above 3600 s when your credentials are themselves an assumed role). AWS said: ${error.message}`;
    case "CredentialsProviderError":
      return `no AWS credentials found: set a profile (AWS_PROFILE) or credentials in the environment. ${error.message}`;
    default:
      return `could not assume ${roleArn}: ${error.name}: ${error.message}`;
  }
}

async function main(args: readonly string[]): Promise<void> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig(process.env);
  if (args.includes(VIA_OPTION)) return vendVia(args, config);
  const { destination, durationSeconds, format } = parseArguments(args, config);
  const roleArn = `arn:aws:iam::${destination.accountId}:role/${destination.role}`;
  const sts = new STSClient({
    region: destination.region,
    ...(config.emulator ? { endpoint: config.emulator.endpoint } : {}),
  });
  let credentials: Credentials | undefined;
  try {
    const user = os.userInfo().username.replace(/[^\w+=,.@-]/g, "-");
    const result = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: `operator-${user}`.slice(0, 64),
        DurationSeconds: durationSeconds,
        ...(destination.externalId ? { ExternalId: destination.externalId } : {}),
      }),
    );
    credentials = result.Credentials;
  } catch (error) {
    throw new Error(explain(error as Error, roleArn, durationSeconds));
  }
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken)
    throw new Error(`AssumeRole ${roleArn} returned no credentials`);
  const printable = {
    AccessKeyId: credentials.AccessKeyId,
    SecretAccessKey: credentials.SecretAccessKey,
    SessionToken: credentials.SessionToken,
    Expiration: credentials.Expiration?.toISOString(),
  };
  console.log(
    formatCredentials(format, printable, { region: destination.region, actingAs: roleArn, json: { RoleArn: roleArn } }),
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else console.error(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
