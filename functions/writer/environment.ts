// Part of the contract: the environment's size, counted as Lambda counts it for every function.
export { environmentBytes } from "../shared/environment";

/** Environment variables the stack gives the writer Lambda: the contract between `stacks/` and `functions/`. */
export const WRITER_ENVIRONMENT = {
  destinations: "DESTINATIONS",
  bucketPrefix: "BUCKET_PREFIX",
  stsRegion: "STS_REGION",
  roleSessionName: "ROLE_SESSION_NAME",
  sessionDurationSeconds: "SESSION_DURATION_SECONDS",
  externalId: "EXTERNAL_ID",
} as const;

/** A setting carried by one of {@link WRITER_ENVIRONMENT}'s variables. */
export type WriterSettingName = keyof typeof WRITER_ENVIRONMENT;

/**
 * How a bulk event's records are put into a destination's bucket (a single-record event always writes
 * `<prefix>/<uuid>.json`):
 * - `per-record`: one `<prefix>/<uuid>.json` per record, as single events do; a replay is recognized per record.
 * - `per-batch`: one JSON Lines object `<prefix>/batches/<sha256 of its records' timestamps and uuids>.jsonl` per
 *   {@link RECORDS_PER_BATCH_OBJECT} records of the event: one request instead of a thousand. The same records sent
 *   again are recognized per batch; a record sent again among other records is archived again.
 */
export const BULK_OBJECT_LAYOUTS = ["per-record", "per-batch"] as const;
export type BulkObjectLayout = (typeof BULK_OBJECT_LAYOUTS)[number];
/** Records per object of a bulk event written `per-batch`. */
export const RECORDS_PER_BATCH_OBJECT = 1000;

/** One destination as the writer sees it: where to write and which role to assume for it. */
export interface DestinationSettings {
  /** The name events use for it. */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly roleArn: string;
  readonly tableName: string;
  readonly bucketName: string;
  /** Where its objects go in the bucket: the writer-wide {@link WriterSettings.bucketPrefix}. */
  readonly bucketPrefix: string;
  /** This destination's `sts:ExternalId`, instead of the writer-wide one. @default - the writer-wide one */
  readonly externalId?: string;
  /** How bulk events' records become objects. @default "per-record" */
  readonly bulkObjects?: BulkObjectLayout;
}

/** The writer's settings, as {@link readWriterSettings} reads them from its environment. */
export interface WriterSettings {
  /** At least one, names unique. */
  readonly destinations: readonly DestinationSettings[];
  /** Key prefix of the objects in every destination's bucket. */
  readonly bucketPrefix: string;
  readonly stsRegion: string;
  readonly roleSessionName: string;
  readonly sessionDurationSeconds: number;
  /** `sts:ExternalId` sent for every destination without its own. @default - none */
  readonly externalId?: string;
}

/**
 * What the stack gives {@link writerEnvironment}: the writer's settings, its destinations without their
 * `bucketPrefix`, which the environment carries once for all of them.
 */
export interface WriterSettingsToEncode extends Omit<WriterSettings, "destinations"> {
  readonly destinations: readonly Omit<DestinationSettings, "bucketPrefix">[];
}

const REQUIRED_DESTINATION_FIELDS = ["name", "accountId", "region", "roleArn", "tableName", "bucketName"] as const;
const DESTINATION_FIELDS: readonly string[] = [...REQUIRED_DESTINATION_FIELDS, "externalId", "bulkObjects"];

/** What is wrong with a parsed DESTINATIONS value, naming the entry and field; undefined when nothing is. */
function destinationsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return " is not a non-empty JSON array";
  const names = new Map<unknown, number>();
  for (const [index, entry] of (value as unknown[]).entries()) {
    const at = `[${index}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return `${at} is not an object`;
    const fields = entry as Record<string, unknown>;
    const unknown = Object.keys(fields).find((field) => !DESTINATION_FIELDS.includes(field));
    if (unknown !== undefined) return `${at} has an unknown field "${unknown}"`;
    const missing = REQUIRED_DESTINATION_FIELDS.find(
      (field) => typeof fields[field] !== "string" || fields[field] === "",
    );
    if (missing !== undefined) return `${at}.${missing} is not a non-empty string`;
    if (!/^\d{12}$/.test(String(fields.accountId)))
      return `${at}.accountId is not a 12-digit account id: ${JSON.stringify(fields.accountId)}`;
    if (!/^arn:aws[\w-]*:iam::\d{12}:role\//.test(String(fields.roleArn)))
      return `${at}.roleArn is not an IAM role ARN: ${JSON.stringify(fields.roleArn)}`;
    if (fields.externalId !== undefined && (typeof fields.externalId !== "string" || fields.externalId === ""))
      return `${at}.externalId is not a non-empty string`;
    if (fields.bulkObjects !== undefined && !(BULK_OBJECT_LAYOUTS as readonly unknown[]).includes(fields.bulkObjects)) {
      return `${at}.bulkObjects is not ${BULK_OBJECT_LAYOUTS.join(" or ")}: ${JSON.stringify(fields.bulkObjects)}`;
    }
    const earlier = names.get(fields.name);
    if (earlier !== undefined) return `${at}.name repeats the name of [${earlier}]: ${JSON.stringify(fields.name)}`;
    names.set(fields.name, index);
  }
  return undefined;
}

/**
 * The environment that carries these settings; the stack passes Terraform references inside the strings. A
 * destination's ExternalId is written only where it is not the writer-wide one, its bulk layout only where it is
 * not the default.
 */
export function writerEnvironment(settings: WriterSettingsToEncode): Record<string, string> {
  const values: Record<WriterSettingName, string | undefined> = {
    destinations: JSON.stringify(
      settings.destinations.map(
        ({ name, accountId, region, roleArn, tableName, bucketName, externalId, bulkObjects }) => ({
          name,
          accountId,
          region,
          roleArn,
          tableName,
          bucketName,
          ...(externalId !== undefined && externalId !== settings.externalId ? { externalId } : {}),
          ...(bulkObjects !== undefined && bulkObjects !== "per-record" ? { bulkObjects } : {}),
        }),
      ),
    ),
    bucketPrefix: settings.bucketPrefix,
    stsRegion: settings.stsRegion,
    roleSessionName: settings.roleSessionName,
    sessionDurationSeconds: String(settings.sessionDurationSeconds),
    externalId: settings.externalId,
  };
  return Object.fromEntries(
    Object.entries(values)
      .filter((entry): entry is [WriterSettingName, string] => entry[1] !== undefined)
      .map(([name, value]) => [WRITER_ENVIRONMENT[name], value]),
  );
}

/** Reads the writer's settings from an environment; a missing or malformed one is named in the error. */
export function readWriterSettings(env: NodeJS.ProcessEnv): WriterSettings {
  const required: WriterSettingName[] = [
    "destinations",
    "bucketPrefix",
    "stsRegion",
    "roleSessionName",
    "sessionDurationSeconds",
  ];
  const missing = required.map((name) => WRITER_ENVIRONMENT[name]).filter((variable) => !env[variable]);
  if (missing.length > 0) {
    throw new Error(
      `writer is missing environment variables ${missing.join(", ")}; deploy it with the cdktf stack, which sets them`,
    );
  }
  const read = (name: WriterSettingName) => env[WRITER_ENVIRONMENT[name]] ?? "";
  let destinations: unknown;
  try {
    destinations = JSON.parse(read("destinations"));
  } catch {
    destinations = undefined;
  }
  const problem = destinationsProblem(destinations);
  if (problem !== undefined) {
    throw new Error(
      `${WRITER_ENVIRONMENT.destinations}${problem}; it must be a JSON array of { name, accountId, region, roleArn, tableName, bucketName } with optional externalId and bulkObjects (${BULK_OBJECT_LAYOUTS.join(" or ")}), with unique names, got ${JSON.stringify(read("destinations").slice(0, 200))}`,
    );
  }
  const sessionDurationSeconds = Number(read("sessionDurationSeconds"));
  if (!Number.isInteger(sessionDurationSeconds) || sessionDurationSeconds < 900 || sessionDurationSeconds > 3600) {
    throw new Error(
      `${WRITER_ENVIRONMENT.sessionDurationSeconds} must be a whole number of seconds from 900 to 3600 (role chaining), got "${read("sessionDurationSeconds")}"`,
    );
  }
  const bucketPrefix = read("bucketPrefix");
  return {
    destinations: (destinations as WriterSettingsToEncode["destinations"]).map((destination) => ({
      ...destination,
      bucketPrefix,
    })),
    bucketPrefix,
    stsRegion: read("stsRegion"),
    roleSessionName: read("roleSessionName"),
    sessionDurationSeconds,
    externalId: env[WRITER_ENVIRONMENT.externalId] || undefined,
  };
}
