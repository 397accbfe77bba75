import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import type { RetryErrorInfo, StandardRetryToken } from "@smithy/types";
import type { AssumeRole } from "./vend";

/** Attempts per AssumeRole and the waits between them (0.5, 1, 2 s): a caller hears of a broken trust in seconds. */
export const ASSUME_ROLE_MAX_ATTEMPTS = 4;
export const assumeRoleBackoffMs = (attempt: number) => Math.min(500 * 2 ** (attempt - 1), 2000);

/**
 * The SDK's retry strategy, also retrying AccessDenied: IAM is eventually consistent, so the first calls after a
 * role or its trust was created can be denied. A small copy of the writer's idea with shorter waits, as a person or
 * a `credential_process` waits on this answer (functions/writer is not imported, so the two stay apart).
 */
export class AssumeRoleRetryStrategy extends ConfiguredRetryStrategy {
  constructor() {
    super(ASSUME_ROLE_MAX_ATTEMPTS, assumeRoleBackoffMs);
  }

  override refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    const accessDenied = errorInfo.error?.name === "AccessDenied";
    return super.refreshRetryTokenForRetry(token, accessDenied ? { ...errorInfo, errorType: "TRANSIENT" } : errorInfo);
  }
}

/** {@link AssumeRole} over a real STS client. */
export function stsAssumeRole(sts: STSClient): AssumeRole {
  return async (params) => {
    const { Credentials } = await sts.send(new AssumeRoleCommand({ ...params, Tags: [...params.Tags] }));
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = Credentials ?? {};
    if (!AccessKeyId || !SecretAccessKey || !SessionToken || !Expiration) {
      throw Object.assign(new Error(`STS answered AssumeRole on ${params.RoleArn} without complete credentials`), {
        name: "IncompleteCredentials",
      });
    }
    return { AccessKeyId, SecretAccessKey, SessionToken, Expiration };
  };
}
