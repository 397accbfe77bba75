import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { ASSUME_ROLE_MAX_ATTEMPTS, AssumeRoleRetryStrategy, assumeRoleBackoffMs } from "../shared/assume-role-retry";
import { refreshedBeforeExpiry } from "../shared/refreshed-credentials";
import type { DestinationSettings, WriterSettings } from "./environment";

/**
 * Credentials of one destination's role, assumed with the function's own credentials. One provider shared by that
 * destination's clients: one AssumeRole per session lifetime, however many clients and invocations use it.
 */
export function destinationRoleCredentials(
  destination: Pick<DestinationSettings, "roleArn" | "externalId">,
  settings: Pick<WriterSettings, "roleSessionName" | "sessionDurationSeconds" | "externalId" | "stsRegion">,
): AwsCredentialIdentityProvider {
  const externalId = destination.externalId ?? settings.externalId;
  const assume = fromTemporaryCredentials({
    params: {
      RoleArn: destination.roleArn,
      RoleSessionName: settings.roleSessionName,
      DurationSeconds: settings.sessionDurationSeconds,
      ...(externalId ? { ExternalId: externalId } : {}),
    },
    clientConfig: {
      region: settings.stsRegion,
      retryStrategy: new AssumeRoleRetryStrategy(ASSUME_ROLE_MAX_ATTEMPTS, assumeRoleBackoffMs),
    },
  });
  return refreshedBeforeExpiry(assume);
}
