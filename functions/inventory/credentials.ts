import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { assumedCredentials } from "../shared/assumed-credentials";
import { refreshedBeforeExpiry } from "../shared/refreshed-credentials";
/** Role chaining (a Lambda's role assuming another) caps a session at one hour. */
export const SESSION_DURATION_SECONDS = 3600;
export const ROLE_SESSION_NAME = "inventory";

/**
 * Credentials of a role, assumed with the STS client's own credentials. Concurrent callers share one AssumeRole
 * (memoize coalesces them), and the session is reused until 5 minutes before it expires. AccessDenied is not
 * retried: for an inventory it nearly always means the role is not in that account (yet), and waiting for IAM to
 * settle on every such account would stall the run.
 */
export function roleCredentials(
  sts: STSClient,
  roleArn: string,
  sessionName = ROLE_SESSION_NAME,
): AwsCredentialIdentityProvider {
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const { Credentials: credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: sessionName,
        DurationSeconds: SESSION_DURATION_SECONDS,
      }),
    );
    return assumedCredentials(roleArn, credentials);
  };
  return refreshedBeforeExpiry(assume);
}

/** The ARN of a role by name in an account, in the partition of the caller's STS region. */
export function roleArn(account: string, roleName: string, stsRegion: string): string {
  const partition = stsRegion.startsWith("cn-") ? "aws-cn" : stsRegion.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}
