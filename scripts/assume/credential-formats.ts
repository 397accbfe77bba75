/** Temporary credentials as STS and a `credential_process` name them. */
export interface PrintableCredentials {
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly SessionToken: string;
  /** ISO 8601. */
  readonly Expiration?: string;
}

export const CREDENTIAL_FORMATS = ["env", "json", "credential-process"] as const;
export type CredentialFormat = (typeof CREDENTIAL_FORMATS)[number];

export interface FormatContext {
  /** Set as AWS_REGION in the `env` format. @default - not set */
  readonly region?: string;
  /** What the credentials act as (a role ARN, or the destination and the vending URL), for people. */
  readonly actingAs: string;
  /** Extra fields of the `json` format, e.g. `{ RoleArn }`. */
  readonly json?: Readonly<Record<string, string>>;
}

/** The text `npm run assume` prints for credentials, in one of {@link CREDENTIAL_FORMATS}. */
export function formatCredentials(
  format: CredentialFormat,
  credentials: PrintableCredentials,
  context: FormatContext,
): string {
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = credentials;
  if (format === "env") {
    return [
      `export AWS_ACCESS_KEY_ID=${AccessKeyId}`,
      `export AWS_SECRET_ACCESS_KEY=${SecretAccessKey}`,
      `export AWS_SESSION_TOKEN=${SessionToken}`,
      ...(context.region ? [`export AWS_REGION=${context.region}`] : []),
      `# ${context.actingAs} until ${Expiration}`,
    ].join("\n");
  }
  if (format === "json") {
    return JSON.stringify({ AccessKeyId, SecretAccessKey, SessionToken, Expiration, ...context.json }, null, 2);
  }
  return JSON.stringify({ Version: 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration });
}
