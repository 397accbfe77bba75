/** Environment variables the stack gives the writer Lambda: the contract between `stacks/` and `functions/`. */
export const WRITER_ENVIRONMENT = {
  destinationRoleArn: "DESTINATION_ROLE_ARN",
  destinationAccountId: "DESTINATION_ACCOUNT_ID",
  destinationRegion: "DESTINATION_REGION",
  tableName: "TABLE_NAME",
  bucketName: "BUCKET_NAME",
  bucketPrefix: "BUCKET_PREFIX",
  stsRegion: "STS_REGION",
  roleSessionName: "ROLE_SESSION_NAME",
  sessionDurationSeconds: "SESSION_DURATION_SECONDS",
  externalId: "EXTERNAL_ID",
} as const;

export type WriterSettingName = keyof typeof WRITER_ENVIRONMENT;

export interface WriterSettings {
  readonly destinationRoleArn: string;
  readonly destinationAccountId: string;
  readonly destinationRegion: string;
  readonly tableName: string;
  readonly bucketName: string;
  readonly bucketPrefix: string;
  readonly stsRegion: string;
  readonly roleSessionName: string;
  readonly sessionDurationSeconds: number;
  readonly externalId?: string;
}

/** Reads the writer's settings from an environment; a missing or malformed one is named in the error. */
export function readWriterSettings(env: NodeJS.ProcessEnv): WriterSettings {
  const missing: string[] = [];
  const read = (name: WriterSettingName): string => {
    const value = env[WRITER_ENVIRONMENT[name]];
    if (!value) missing.push(WRITER_ENVIRONMENT[name]);
    return value ?? "";
  };
  const settings = {
    destinationRoleArn: read("destinationRoleArn"),
    destinationAccountId: read("destinationAccountId"),
    destinationRegion: read("destinationRegion"),
    tableName: read("tableName"),
    bucketName: read("bucketName"),
    bucketPrefix: read("bucketPrefix"),
    stsRegion: read("stsRegion"),
    roleSessionName: read("roleSessionName"),
    sessionDurationSeconds: Number(read("sessionDurationSeconds")),
    externalId: env[WRITER_ENVIRONMENT.externalId] || undefined,
  };
  if (missing.length > 0) {
    throw new Error(`writer is missing environment variables ${missing.join(", ")}; deploy it with the cdktf stack, which sets them`);
  }
  if (!Number.isInteger(settings.sessionDurationSeconds) || settings.sessionDurationSeconds < 900 || settings.sessionDurationSeconds > 3600) {
    throw new Error(`${WRITER_ENVIRONMENT.sessionDurationSeconds} must be a whole number of seconds from 900 to 3600 (role chaining), got "${env[WRITER_ENVIRONMENT.sessionDurationSeconds]}"`);
  }
  return settings;
}
