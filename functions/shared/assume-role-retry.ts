import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import type { RetryErrorInfo, StandardRetryToken } from "@smithy/types";

/**
 * The SDK's retry strategy for AssumeRole, which also retries AccessDenied: IAM is eventually consistent, so the
 * first calls after a role or its trust was created or changed can be denied for a few seconds. Each Lambda picks
 * its attempts and waits for who waits on it.
 */
export class AssumeRoleRetryStrategy extends ConfiguredRetryStrategy {
  constructor(maxAttempts: number, backoffMs: (attempt: number) => number) {
    super(maxAttempts, backoffMs);
  }

  override refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    const accessDenied = errorInfo.error?.name === "AccessDenied";
    return super.refreshRetryTokenForRetry(token, accessDenied ? { ...errorInfo, errorType: "TRANSIENT" } : errorInfo);
  }
}
