/** A record a member writes into the central account; its account comes from the session, never from the record. */
export interface OrganizationRecord {
  /** Unique within the writing account: the item's sort key and the object's name. */
  readonly id: string;
  /** ISO 8601 time, UTC. */
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A record refused before anything is written; the message names the field, the bad value and what is allowed. */
export class BadRecordError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field} ${message}`);
    this.name = "BadRecordError";
  }
}

const ID = /^[A-Za-z0-9._-]{1,128}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const FIELDS = ["id", "timestamp", "data"];
/** DynamoDB's item limit, with room for the key attributes. */
export const MAX_RECORD_BYTES = 400 * 1024 - 1024;

const got = (value: unknown) => `got ${JSON.stringify(value) ?? String(value)}`;

/** Checks a record as received (parsed JSON); throws {@link BadRecordError} naming the first bad field. */
export function parseRecord(input: unknown): OrganizationRecord {
  if (input === null || typeof input !== "object" || Array.isArray(input))
    throw new BadRecordError("record", `must be a JSON object { id, timestamp, data }, ${got(input)}`);
  const record = input as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0)
    throw new BadRecordError(
      unknown[0],
      `is not a record field; allowed: ${FIELDS.join(", ")} (the account comes from the session)`,
    );
  const { id, timestamp, data } = record;
  if (typeof id !== "string" || !ID.test(id))
    throw new BadRecordError("id", `must be 1-128 letters, digits, '.', '_' or '-' (a uuid fits), ${got(id)}`);
  if (typeof timestamp !== "string" || !TIMESTAMP.test(timestamp) || Number.isNaN(Date.parse(timestamp)))
    throw new BadRecordError(
      "timestamp",
      `must be an ISO 8601 UTC time such as 2026-01-31T12:00:00Z, ${got(timestamp)}`,
    );
  if (data === null || typeof data !== "object" || Array.isArray(data))
    throw new BadRecordError("data", `must be a JSON object, ${got(data)}`);
  const bytes = Buffer.byteLength(JSON.stringify(record));
  if (bytes > MAX_RECORD_BYTES)
    throw new BadRecordError(
      "data",
      `makes the record ${bytes} bytes; at most ${MAX_RECORD_BYTES} fit a DynamoDB item`,
    );
  return { id, timestamp, data: data as Record<string, unknown> };
}
