import { MAX_CHAINED_SESSION_SECONDS, MIN_ROLE_MAX_SESSION_SECONDS } from "./limits";
import type { ConfigFile } from "./schema";
import type { DestinationConfig, ResourceNames } from "./types";

/** Name of the one destination of the singular `destination` form; it keeps that form's resource ids and names. */
export const DEFAULT_DESTINATION_NAME = "destination";

/** What a config file's omitted fields become (names that depend on accounts are built below). */
export const DEFAULTS = {
  access: "write",
  table: "wd-ddb-table",
  bulkObjects: "per-record",
  tableEncryption: "aws-owned",
  bucketPrefix: "records",
  writerFunction: "cross-account-dynamodb-write",
  trustMode: "role-arn",
  maxSessionDurationSeconds: MIN_ROLE_MAX_SESSION_SECONDS,
  writerSessionDurationSeconds: MAX_CHAINED_SESSION_SECONDS,
  logRetentionDays: 30,
  tracing: true,
  allowDataDeletion: false,
  stateKey: "cross-account/terraform.tfstate",
} as const;

/**
 * Whether a destination keeps the names and construct ids of the singular `destination` form: true for the one
 * named "destination", so moving from `destination` to `destinations` renames and replaces nothing.
 */
export function keepsSingularForm(destination: Pick<DestinationConfig, "name">): boolean {
  return destination.name === DEFAULT_DESTINATION_NAME;
}

/** The destinations of a config file with their defaults: the singular `destination` is the one named "destination". */
export function destinationsOf(file: ConfigFile): DestinationConfig[] {
  const entries =
    file.destinations ?? (file.destination ? [{ ...file.destination, name: DEFAULT_DESTINATION_NAME }] : []);
  return entries.map((entry) => {
    const singularNames = keepsSingularForm(entry);
    const externalId = ("externalId" in entry ? entry.externalId : undefined) ?? file.externalId;
    // The singular form sets its resource names under `names`; each of `destinations` sets its own.
    const custom: { table?: string; bucket?: string; role?: string } = file.destinations
      ? entry
      : { table: file.names?.table, bucket: file.names?.bucket, role: file.names?.destinationRole };
    const ownPrincipals = "trustedPrincipals" in entry ? (entry.trustedPrincipals ?? []) : [];
    const ownBulkObjects = "bulkObjects" in entry ? entry.bulkObjects : undefined;
    const ownTableEncryption = "tableEncryption" in entry ? entry.tableEncryption : undefined;
    return {
      name: entry.name,
      accountId: entry.accountId,
      region: entry.region,
      ...(entry.profile !== undefined ? { profile: entry.profile } : {}),
      ...(entry.deployRoleArn !== undefined ? { deployRoleArn: entry.deployRoleArn } : {}),
      access: entry.access ?? DEFAULTS.access,
      table: custom.table ?? DEFAULTS.table,
      bucket:
        custom.bucket ??
        (singularNames
          ? `wd-records-${entry.accountId}-${entry.region}`
          : `wd-records-${entry.name}-${entry.accountId}-${entry.region}`),
      role:
        custom.role ??
        (singularNames
          ? `assume-role-via-${file.source.accountId}`
          : `assume-role-via-${file.source.accountId}-${entry.name}`),
      trustedPrincipals: [...(file.trustedPrincipals ?? []), ...ownPrincipals],
      ...(externalId !== undefined ? { externalId } : {}),
      bulkObjects: ownBulkObjects ?? file.bulkObjects ?? DEFAULTS.bulkObjects,
      tableEncryption: ownTableEncryption ?? file.tableEncryption ?? DEFAULTS.tableEncryption,
    };
  });
}

/** The source-side names of a config file with their defaults. */
export function resourceNamesOf(file: ConfigFile, destinations: readonly DestinationConfig[]): ResourceNames {
  const writerRole = file.destinations
    ? "cross-account-writer"
    : `cross-account-write-to-${destinations[0]?.accountId}`;
  return {
    bucketPrefix: file.names?.bucketPrefix ?? DEFAULTS.bucketPrefix,
    writerRole: file.names?.writerRole ?? writerRole,
    writerFunction: file.names?.writerFunction ?? DEFAULTS.writerFunction,
  };
}
