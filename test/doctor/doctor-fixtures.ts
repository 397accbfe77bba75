import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { STSServiceException } from "@aws-sdk/client-sts";
import { CredentialsProviderError } from "@smithy/core/config";
import { type CrossAccountConfigInput, resolveConfig } from "../../stacks/config";

/** A validated config from a config file's content. */
export const configOf = (input: CrossAccountConfigInput) => resolveConfig(input);

/** Two real accounts reached by profiles. */
export const PROFILE_CONFIG: CrossAccountConfigInput = {
  source: { accountId: "111111111111", region: "us-east-1", profile: "src" },
  destination: { accountId: "222222222222", region: "eu-west-1", profile: "sso-dest" },
};

/**
 * Shared AWS files in a temporary folder: a static-key profile `src` and an IAM Identity Center profile
 * `sso-dest`. Returns the environment that points the SDK at them, and a cleanup.
 */
export function sharedAwsFiles(): { env: NodeJS.ProcessEnv; remove: () => void } {
  const directory = mkdtempSync(path.join(os.tmpdir(), "doctor-aws-"));
  const config = path.join(directory, "config");
  const credentials = path.join(directory, "credentials");
  writeFileSync(
    config,
    [
      "[profile src]",
      "region = us-east-1",
      "[profile sso-dest]",
      "sso_session = corp",
      "sso_account_id = 222222222222",
      "sso_role_name = Admin",
      "[sso-session corp]",
      "sso_start_url = https://example.awsapps.com/start",
      "sso_region = us-east-1",
      "",
    ].join("\n"),
  );
  writeFileSync(credentials, "[src]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = example\n");
  return {
    env: { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** An STS error as the SDK raises it for a query-protocol error code without a modeled exception class. */
export const stsError = (name: string, httpStatusCode: number, message: string) =>
  new STSServiceException({ name, $fault: "client", $metadata: { httpStatusCode }, message });

/** What the SDK's SSO token provider throws when no `aws sso login` was done (token-providers, fromSso). */
export const ssoTokenMissing = (profile: string) =>
  new CredentialsProviderError(
    `The SSO session token associated with profile=${profile} was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile.`,
    { tryNextLink: false },
  );

/** An error of an SDK client that never got an answer. */
export const connectionRefused = (endpoint: string) =>
  Object.assign(new Error(`connect ECONNREFUSED ${new URL(endpoint).host}`), { code: "ECONNREFUSED" });
