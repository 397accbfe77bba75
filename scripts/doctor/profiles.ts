import { loadSharedConfigFiles } from "@smithy/core/config";
import { sharedFiles } from "./reach";

/** What the shared config and credentials files say about one profile. */
export interface ProfileFacts {
  /** In `~/.aws/config` or `~/.aws/credentials` (or the files AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE name). */
  readonly exists: boolean;
  /** Signs in with IAM Identity Center (`sso_session` or `sso_start_url`): `aws sso login` refreshes it. */
  readonly sso: boolean;
}

/** Reads a profile through the SDK's shared-ini loader, as the SDK and Terraform's provider find it. */
export async function profileFacts(profile: string, env: NodeJS.ProcessEnv): Promise<ProfileFacts> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ...sharedFiles(env), ignoreCache: true });
  const settings = { ...credentialsFile[profile], ...configFile[profile] };
  return {
    exists: profile in configFile || profile in credentialsFile,
    sso: typeof settings.sso_session === "string" || typeof settings.sso_start_url === "string",
  };
}

/** The command that (re)creates a profile's credentials: `aws sso login` for SSO profiles, else `aws configure`. */
export const loginCommand = (profile: string, facts: ProfileFacts): string =>
  facts.sso ? `aws sso login --profile ${profile}` : `aws configure --profile ${profile}`;
