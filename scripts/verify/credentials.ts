import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { AccountConfig, CrossAccountConfig } from "../../stacks/config";
import { EMULATOR_DEPLOY_ROLE_NAME } from "../../stacks/identifiers";
import { assumeInEmulator } from "../emulator/emulator-accounts";

/** Credentials as the AWS SDK takes them: fixed, or a provider it calls (and caches) itself. */
export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/**
 * The credentials the stack's provider deploys an account with, so verify reads and cleans up with exactly the
 * rights the deployment already has: the account's `profile` and/or `deployRoleArn`, else the default chain. On the
 * emulator, the deploy role the providers assume there.
 */
export function deployCredentials(config: CrossAccountConfig, account: AccountConfig): Credentials {
  if (config.emulator) {
    const endpoint = config.emulator.endpoint;
    const roleArn = account.deployRoleArn ?? `arn:aws:iam::${account.accountId}:role/${EMULATOR_DEPLOY_ROLE_NAME}`;
    let pending: Promise<AwsCredentialIdentity> | undefined;
    return () => {
      pending ??= assumeInEmulator(endpoint, roleArn, "verify", account.region);
      return pending;
    };
  }
  const base = account.profile ? fromIni({ profile: account.profile }) : fromNodeProviderChain();
  if (!account.deployRoleArn) return base;
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: { RoleArn: account.deployRoleArn, RoleSessionName: "cross-account-verify" },
    clientConfig: { region: account.region },
  });
}

/** An AWS SDK client's settings for one account's region (the emulator's endpoint in emulator mode). */
export function clientSettings(config: CrossAccountConfig, region: string, credentials: Credentials) {
  return {
    region,
    credentials,
    ...(config.emulator ? { endpoint: config.emulator.endpoint, forcePathStyle: true } : {}),
  };
}
