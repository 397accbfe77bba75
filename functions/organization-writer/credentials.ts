import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { ASSUME_ROLE_MAX_ATTEMPTS, AssumeRoleRetryStrategy, assumeRoleBackoffMs } from "../shared/assume-role-retry";
import { refreshedBeforeExpiry } from "../shared/refreshed-credentials";
import { ACCOUNT_TAG, type OrganizationWriterSettings } from "./environment";

/** Role chaining caps the central session at one hour. */
export const CENTRAL_SESSION_SECONDS = 3600;

export interface CentralCredentialsOptions {
  /** The writing member's account: the session tag the central role requires to equal the caller's account. */
  readonly account: string;
  /** Names the session in the central account's CloudTrail. */
  readonly sessionName: string;
  /** Assume the member role first (a workload role of the account that the member role trusts). @default - the caller is the member role */
  readonly memberRoleArn?: string;
  /** The caller's own credentials. @default - the SDK's default chain */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** One endpoint for STS, DynamoDB and S3 (a local emulator). @default - AWS's regional endpoints */
  readonly endpoint?: string;
}

/** A provider that assumes `roleArn` once per session lifetime and refreshes five minutes before expiry. */
function assumed(params: Parameters<typeof fromTemporaryCredentials>[0]): AwsCredentialIdentityProvider {
  return refreshedBeforeExpiry(fromTemporaryCredentials(params));
}

/**
 * Credentials of the central role, through the member role when `memberRoleArn` is given, with the account session
 * tag, an explicit STS region (the central account's) and a named session. One provider for all of a client's calls.
 * Each AssumeRole also retries AccessDenied for a while: right after the StackSet reaches a new member, IAM may not
 * yet know its role or the central role's trust of it.
 */
export function centralRoleCredentials(
  settings: Pick<OrganizationWriterSettings, "centralRoleArn" | "region">,
  options: CentralCredentialsOptions,
): AwsCredentialIdentityProvider {
  const clientConfig = {
    region: settings.region,
    retryStrategy: new AssumeRoleRetryStrategy(ASSUME_ROLE_MAX_ATTEMPTS, assumeRoleBackoffMs),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
  const member = options.memberRoleArn
    ? assumed({
        params: { RoleArn: options.memberRoleArn, RoleSessionName: options.sessionName },
        clientConfig,
        ...(options.credentials ? { masterCredentials: options.credentials } : {}),
      })
    : options.credentials;
  return assumed({
    params: {
      RoleArn: settings.centralRoleArn,
      RoleSessionName: options.sessionName,
      DurationSeconds: CENTRAL_SESSION_SECONDS,
      Tags: [{ Key: ACCOUNT_TAG, Value: options.account }],
    },
    clientConfig,
    ...(member ? { masterCredentials: member } : {}),
  });
}
