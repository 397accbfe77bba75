import { memoize } from "@smithy/property-provider";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** Refresh this long before expiry, as the SDK's own clients do, so no request carries dying credentials. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

const expiresSoon = (credentials: AwsCredentialIdentity) =>
  credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < REFRESH_BEFORE_EXPIRY_MS;

/**
 * A provider of assumed-role credentials that asks once per session lifetime: concurrent callers share one call,
 * and the session is reused until {@link REFRESH_BEFORE_EXPIRY_MS} before it expires.
 */
export function refreshedBeforeExpiry(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  return memoize(provider, expiresSoon, (credentials) => credentials.expiration !== undefined);
}
