import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { type CentralCredentialsOptions, centralRoleCredentials } from "./credentials";
import type { OrganizationWriterSettings } from "./environment";
import { type OrganizationWriteResult, writeOrganizationRecord } from "./write-record";

/** Writes records of one member account into the central account. Create once (module scope) and reuse. */
export interface OrganizationWriterClient {
  /** Checks and writes one record (parsed JSON) under this account's partition. */
  write(record: unknown): Promise<OrganizationWriteResult>;
}

/**
 * The library entry: clients of the central table and bucket sharing one refreshed central-role session, tagged
 * with `options.account`. The central role refuses a tag other than the caller's own account.
 */
export function organizationWriterClient(
  settings: OrganizationWriterSettings,
  options: CentralCredentialsOptions,
): OrganizationWriterClient {
  const credentials = centralRoleCredentials(settings, options);
  const endpoint = options.endpoint ? { endpoint: options.endpoint } : {};
  const clients = {
    dynamodb: new DynamoDBClient({ region: settings.region, credentials, ...endpoint }),
    s3: new S3Client({
      region: settings.region,
      credentials,
      ...endpoint,
      forcePathStyle: options.endpoint !== undefined,
    }),
  };
  return { write: (record) => writeOrganizationRecord(clients, settings, options.account, record) };
}
