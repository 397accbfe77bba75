import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsErrorOf, describeAwsError, isUnreachable } from "./aws-error";
import { type CheckResult, ok, problem } from "./check";
import { loginCommand, profileFacts } from "./profiles";
import { type AccountTarget, clientSettings, describeReachPath, type ReachPath } from "./reach";

/** Table subject of an account: "account 111111111111 (source, destination)". */
export const accountSubject = (target: AccountTarget) => `account ${target.accountId} (${target.labels.join(", ")})`;

/** The config objects that name the account, for a fix: source, destination, destinations[name=a], ... */
const configFields = (target: AccountTarget) =>
  target.labels
    .map((label) =>
      label === "state"
        ? "stateBackend"
        : label === "organization"
          ? "inventory.organization or organizationWriter.organization"
          : label === "central"
            ? "organizationWriter.central"
            : label.startsWith("destination ")
              ? `destinations[name=${label.slice("destination ".length)}]`
              : label,
    )
    .join(" / ");

/** The profile a path signs in with, if any. */
const profileOf = (path: ReachPath) => (path.kind === "profile" || path.kind === "role" ? path.profile : undefined);

/**
 * sts:GetCallerIdentity through exactly the provider's path, and the account id against the config. A missing
 * profile is named before any call; an expired or refused sign-in names the command that renews it.
 */
export async function checkAccount(
  target: AccountTarget,
  path: ReachPath,
  env: NodeJS.ProcessEnv,
): Promise<CheckResult> {
  const subject = accountSubject(target);
  const via = describeReachPath(path);
  // The default chain signs in with AWS_PROFILE when it is set: a missing one is named as well.
  const fromEnvironment = path.kind !== "emulator" && !profileOf(path) ? env.AWS_PROFILE : undefined;
  const profile = profileOf(path) ?? fromEnvironment;
  const facts = profile ? await profileFacts(profile, env) : undefined;
  if (profile && facts && !facts.exists) {
    return problem(
      "accounts",
      subject,
      `${fromEnvironment ? "AWS_PROFILE names " : ""}profile ${profile}, which is not in the AWS config or credentials file (${env.AWS_CONFIG_FILE ?? "~/.aws/config"}, ${env.AWS_SHARED_CREDENTIALS_FILE ?? "~/.aws/credentials"})`,
      `aws configure --profile ${profile}`,
    );
  }
  const sts = new STSClient(clientSettings(path, target.region, env));
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (identity.Account !== target.accountId) {
      return problem(
        "accounts",
        subject,
        `${via} reaches account ${identity.Account} (${identity.Arn}), but the config says ${target.accountId}`,
        profile
          ? `point profile ${profile} at account ${target.accountId} (aws configure --profile ${profile}), or set ${configFields(target)}.profile to a profile of account ${target.accountId}`
          : `set ${configFields(target)}.profile (or deployRoleArn) to reach account ${target.accountId}`,
      );
    }
    return ok("accounts", subject, `${via} reaches ${identity.Arn}`);
  } catch (error) {
    return failedIdentity(target, path, error, facts && profile ? loginCommand(profile, facts) : undefined);
  } finally {
    sts.destroy();
  }
}

function failedIdentity(
  target: AccountTarget,
  path: ReachPath,
  error: unknown,
  login: string | undefined,
): CheckResult {
  const subject = accountSubject(target);
  const via = describeReachPath(path);
  const { name, message } = awsErrorOf(error);
  const said = describeAwsError(error);
  if (/sso/i.test(message) && login) {
    return problem("accounts", subject, `the SSO sign-in of ${via} is missing or expired: ${message}`, login);
  }
  if (name === "ExpiredToken" || name === "ExpiredTokenException" || /expired/i.test(message)) {
    return problem(
      "accounts",
      subject,
      `the credentials of ${via} have expired: ${said}`,
      login ?? "aws sso login (or renew the credentials in your environment)",
    );
  }
  if (name === "InvalidClientTokenId" || name === "SignatureDoesNotMatch") {
    return problem("accounts", subject, `the access key of ${via} is not valid: ${said}`, login ?? "aws configure");
  }
  if (path.kind === "role" || path.kind === "emulator") {
    if (name === "AccessDenied" || name === "AccessDeniedException") {
      return problem(
        "accounts",
        subject,
        `${via}: the role cannot be assumed: ${said}`,
        `allow sts:AssumeRole on ${path.roleArn} for your identity (the role's trust policy and your identity policy)`,
      );
    }
  }
  if (name === "CredentialsProviderError") {
    return problem(
      "accounts",
      subject,
      `no credentials through ${via}: ${message}`,
      login ??
        `aws configure (or export AWS_PROFILE=<a profile of account ${target.accountId}>, or set ${configFields(target)}.profile)`,
    );
  }
  if (isUnreachable(error)) {
    return problem(
      "accounts",
      subject,
      `STS cannot be reached through ${via}: ${said}`,
      path.kind === "emulator"
        ? `moto_server -p ${new URL(path.endpoint).port || 80}`
        : "check the network and proxy settings",
    );
  }
  return problem("accounts", subject, `${via} failed: ${said}`, login ?? "aws configure");
}
