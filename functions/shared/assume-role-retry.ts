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

/**
 * Attempts per AssumeRole call for callers that can wait (the writer, an organization member's workload), and the
 * waits between them: 1, 2, 4, 8, 8 s (23 s at most). The vending function answers an HTTP caller: it has its own.
 */
export const ASSUME_ROLE_MAX_ATTEMPTS = 6;
export const assumeRoleBackoffMs = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 8000);
