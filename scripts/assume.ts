import * as os from "node:os";
import * as path from "node:path";
import { AssumeRoleCommand, type Credentials, STSClient } from "@aws-sdk/client-sts";
import { ConfigError, type CrossAccountConfig, destinationRoleName, loadConfig } from "../stacks/config";
import { principalProfiles } from "../stacks/source-principals/profiles";
import { type AssumeCommand, parseArguments, splitExec, USAGE } from "./assume/assume-arguments";
import { writeProfiles } from "./assume/aws-config-file";
import { formatCredentials, type PrintableCredentials } from "./assume/credential-formats";
import {
  CommandNotStartedError,
  credentialEnvironment,
  exitAs,
  runWithEnvironment,
} from "./assume/exec-with-credentials";
import { VIA_OPTION, VIA_USAGE, vendedCredentials } from "./assume/vend-client";
import { UsageError } from "./shared/process";

export { parseArguments } from "./assume/assume-arguments";

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
  const { own, exec } = splitExec(args);
  if (own.includes("--help") || own.includes("-h")) {
    console.log(`${USAGE}\n\n${VIA_USAGE}`);
    return;
  }
  const config = loadConfig(process.env);
  if (own.includes(VIA_OPTION)) {
    const vended = await vendedCredentials(own, config);
    if (exec)
      return exitAs(
        await runWithEnvironment(
          exec,
          credentialEnvironment(process.env, vended.credentials, vended.region, config.emulator?.endpoint),
        ),
      );
    return console.log(formatCredentials(vended.format, vended.credentials, vended.context));
  }
  const command = parseArguments(args, config);
  if (command.kind === "print-profiles") return printProfiles(command, config);
  const sts = new STSClient({
    region: command.destination.region,
    ...(config.emulator ? { endpoint: config.emulator.endpoint } : {}),
  });
  const credentials = await assumeDestinationRole(command, sts);
  const { destination, roleArn } = command;
  if (command.exec)
    return exitAs(
      await runWithEnvironment(
        command.exec,
        credentialEnvironment(process.env, credentials, destination.region, config.emulator?.endpoint),
      ),
    );
  console.log(
    formatCredentials(command.format, credentials, {
      region: destination.region,
      actingAs: roleArn,
      json: { RoleArn: roleArn },
    }),
  );
}

function printProfiles(command: Extract<AssumeCommand, { kind: "print-profiles" }>, config: CrossAccountConfig): void {
  const profiles = principalProfiles(
    config,
    (destination, access) => `arn:aws:iam::${destination.accountId}:role/${destinationRoleName(destination, access)}`,
    { sourceProfile: command.sourceProfile },
  ).filter(({ principal }) => command.user === undefined || principal === `operator/${command.user}`);
  if (profiles.length === 0) console.error("the config has no sourcePrincipals: no profiles to print");
  if (command.output === undefined) {
    for (const { principal, profile } of profiles) console.log(`# ${principal}\n${profile}\n`);
    return;
  }
  const sections = profiles.map(({ name, profile, principal }) => ({ name, section: profile, comment: principal }));
  // npm runs scripts in the project's folder: a relative --output is where the user ran npm (INIT_CWD).
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), command.output);
  const { added, replaced } = writeProfiles(file, sections);
  console.error(
    `${file}: ${added.length} profiles added (${added.join(", ") || "none"}), ` +
      `${replaced.length} replaced (${replaced.join(", ") || "none"})`,
  );
}

/** AssumeRole with the caller's credentials; every refusal is explained with what to check. */
export async function assumeDestinationRole(
  command: Extract<AssumeCommand, { kind: "assume" }>,
  sts: STSClient,
): Promise<PrintableCredentials> {
  const { destination, roleArn, durationSeconds, mfa } = command;
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
  return {
    AccessKeyId: credentials.AccessKeyId,
    SecretAccessKey: credentials.SecretAccessKey,
    SessionToken: credentials.SessionToken,
    Expiration: credentials.Expiration?.toISOString(),
  };
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}\n\n${VIA_USAGE}`);
    else console.error(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
    process.exit(error instanceof UsageError ? 2 : error instanceof CommandNotStartedError ? error.exitCode : 1);
  });
}
