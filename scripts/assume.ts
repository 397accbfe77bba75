import * as os from "node:os";
import { AssumeRoleCommand, type Credentials, STSClient } from "@aws-sdk/client-sts";
import { ConfigError, destinationRoleName, loadConfig } from "../stacks/config";
import { principalProfiles } from "../stacks/source-principals/profiles";
import { type AssumeCommand, parseArguments, USAGE } from "./lib/assume-arguments";
import { formatCredentials } from "./lib/credential-formats";
import { UsageError } from "./lib/process";
import { VIA_OPTION, VIA_USAGE, vendVia } from "./lib/vend-client";

export { parseArguments } from "./lib/assume-arguments";

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
    console.log(`${USAGE}\n\n${VIA_USAGE}`);
    return;
  }
  const config = loadConfig(process.env);
  if (args.includes(VIA_OPTION)) return vendVia(args, config);
  const command = parseArguments(args, config);
  if (command.kind === "print-profiles") {
    const profiles = principalProfiles(
      config,
      (destination, access) => `arn:aws:iam::${destination.accountId}:role/${destinationRoleName(destination, access)}`,
      { sourceProfile: command.sourceProfile },
    );
    if (profiles.length === 0) console.error("the config has no sourcePrincipals: no profiles to print");
    for (const { principal, profile } of profiles) console.log(`# ${principal}\n${profile}\n`);
    return;
  }
  await assume(command, config.emulator?.endpoint);
}

async function assume(command: Extract<AssumeCommand, { kind: "assume" }>, endpoint?: string): Promise<void> {
  const { destination, roleArn, durationSeconds, format, mfa } = command;
  const sts = new STSClient({
    region: destination.region,
    ...(endpoint ? { endpoint } : {}),
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
        ...(mfa ? { SerialNumber: mfa.serialNumber, TokenCode: mfa.tokenCode } : {}),
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
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}\n\n${VIA_USAGE}`);
    else console.error(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
