import { fromEnv } from "@aws-sdk/credential-provider-env";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundle (see BundledCode): Lambda hands a function
 * its execution role's credentials in environment variables, so the default chain's profile, SSO, container and
 * instance-metadata providers (about 80 KB minified) would never run.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}): AwsCredentialIdentityProvider =>
  fromEnv(init);
