/**
 * Attempts per DynamoDB or S3 call, with the SDK's standard strategy: exponential backoff with jitter on
 * throttling (ThrottlingException, ProvisionedThroughputExceededException, SlowDown), 5xx, connection resets and
 * timeouts.
 */
export const DATA_MAX_ATTEMPTS = 6;
/** A call that has not answered by then is abandoned and retried. */
export const REQUEST_TIMEOUT_MS = 5_000;
export const CONNECTION_TIMEOUT_MS = 2_000;
