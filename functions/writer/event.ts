import * as z from "zod/mini";

/** DynamoDB allows 400 KB per item; the record's JSON must stay well inside that with the key attributes. */
export const MAX_DATA_BYTES = 350_000;
/** DynamoDB nests maps and lists at most 32 levels deep; `data` itself is one level inside the item. */
export const MAX_DATA_DEPTH = 31;

const got = (input: unknown) =>
  input === undefined ? "got nothing" : `got ${JSON.stringify(input)?.slice(0, 80) ?? String(input)}`;

function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((deepest, child) => Math.max(deepest, depthOf(child)), 0);
}

function describe<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

/** Records one bulk event may carry. */
export const MAX_RECORDS = 10_000;
/** The `destination` value that sends the event's records to every destination. */
export const ALL_DESTINATIONS = "*";

const recordFields = {
  timestamp: z.optional(
    describe(
      z.iso.datetime({
        offset: true,
        error: (issue) => `must be an ISO 8601 date-time such as 2024-05-01T12:00:00.000Z, ${got(issue.input)}`,
      }),
      "ISO 8601 date-time; the table's partition key. Default: the time of the write.",
    ),
  ),
  uuid: z.optional(
    describe(
      z.uuid({ error: (issue) => `must be a UUID such as 3b241101-e2bb-4255-8caf-4136c566a962, ${got(issue.input)}` }),
      "UUID; the table's sort key and the object's name. Default: a random UUID v4.",
    ),
  ),
  data: z.optional(
    describe(
      z.record(z.string(), z.json(), { error: (issue) => `must be a JSON object, ${got(issue.input)}` }),
      `Any JSON object of at most ${MAX_DATA_BYTES} bytes, nested at most ${MAX_DATA_DEPTH} levels.`,
    ),
  ),
};

type RecordInput = { timestamp?: string; uuid?: string; data?: Record<string, unknown> };

function checkRecord(
  record: RecordInput,
  context: { addIssue: (issue: { code: "custom"; path: PropertyKey[]; message: string }) => void },
  path: PropertyKey[],
): void {
  if (record.uuid !== undefined && record.timestamp === undefined) {
    context.addIssue({
      code: "custom",
      path: [...path, "timestamp"],
      message: `is required when uuid is given: together they identify the record, so a replay finds it again (uuid ${JSON.stringify(record.uuid)})`,
    });
  }
  if (record.data !== undefined) {
    const bytes = Buffer.byteLength(JSON.stringify(record.data));
    if (bytes > MAX_DATA_BYTES) {
      context.addIssue({
        code: "custom",
        path: [...path, "data"],
        message: `must be at most ${MAX_DATA_BYTES} bytes of JSON to fit one DynamoDB item, got ${bytes} bytes`,
      });
    }
    const depth = depthOf(record.data);
    if (depth > MAX_DATA_DEPTH) {
      context.addIssue({
        code: "custom",
        path: [...path, "data"],
        message: `must be nested at most ${MAX_DATA_DEPTH} levels deep (DynamoDB's limit), got ${depth} levels`,
      });
    }
  }
}

const recordSchema = z.strictObject(recordFields, {
  error: (issue) => (issue.code === "invalid_type" ? `must be a JSON object, ${got(issue.input)}` : undefined),
});

/**
 * The writer's event contract: one record, or `records` for many. All record fields are optional: an empty event
 * writes a record with a generated `timestamp` and `uuid`. A caller who wants to replay an event safely supplies
 * both, since together they are the record's identity (the table's key).
 */
export const writerEventSchema = describe(
  z
    .strictObject(
      {
        ...recordFields,
        destination: z.optional(
          describe(
            z.string({ error: (issue) => `must be a destination name or "${ALL_DESTINATIONS}", ${got(issue.input)}` }),
            `Name of the destination to write to, or "${ALL_DESTINATIONS}" for all of them. Default: the only destination; required when there are several.`,
          ),
        ),
        records: z.optional(
          describe(
            z.array(recordSchema, { error: (issue) => `must be an array of records, ${got(issue.input)}` }).check(
              z.minLength(1, { error: "must hold at least one record" }),
              z.maxLength(MAX_RECORDS, {
                error: (issue) => `must hold at most ${MAX_RECORDS} records, got ${(issue.input as unknown[]).length}`,
              }),
            ),
            `Many records at once (1-${MAX_RECORDS}), each with the fields above; written with BatchWriteItem.`,
          ),
        ),
      },
      {
        error: (issue) =>
          issue.code === "invalid_type" ? `the event must be a JSON object, ${got(issue.input)}` : undefined,
      },
    )
    .check(
      z.superRefine((event, context) => {
        if (event.records === undefined) {
          checkRecord(event, context, []);
          return;
        }
        const single = (["timestamp", "uuid", "data"] as const).filter((field) => event[field] !== undefined);
        if (single.length > 0) {
          context.addIssue({
            code: "custom",
            path: ["records"],
            message: `cannot be combined with ${single.join(", ")}: put every record in records`,
          });
        }
        const firstIndex = new Map<string, number>();
        event.records.forEach((record, index) => {
          checkRecord(record, context, ["records", index]);
          if (record.uuid === undefined) return;
          const earlier = firstIndex.get(record.uuid);
          if (earlier === undefined) firstIndex.set(record.uuid, index);
          else
            context.addIssue({
              code: "custom",
              path: ["records", index, "uuid"],
              message: `repeats records.${earlier}.uuid ${JSON.stringify(record.uuid)}: each record needs its own`,
            });
        });
      }),
    ),
  "Event of the cross-account writer Lambda",
);

export type WriterEvent = z.output<typeof writerEventSchema>;

/** A record ready to write: every field filled in. */
export interface WriterRecord {
  readonly timestamp: string;
  readonly uuid: string;
  readonly data?: Record<string, unknown>;
}

/** The event is invalid; `problems` name each field and what is allowed. */
export class InvalidEventError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid event: ${problems.join("; ")}`);
    this.name = "InvalidEventError";
  }
}

export interface RecordDefaults {
  readonly now: () => Date;
  readonly randomUuid: () => string;
}

/** What an event asks for: its records, filled in, whether it came as a bulk `records` event, and where to. */
export interface WriterRequest {
  readonly records: readonly WriterRecord[];
  readonly bulk: boolean;
  /** Names of the destinations to write to: one, or all of them for `"*"`. */
  readonly destinations: readonly string[];
}

export interface ParseOptions extends RecordDefaults {
  /** The names of the configured destinations. */
  readonly destinations: readonly string[];
}

function chooseDestinations(requested: string | undefined, configured: readonly string[]): readonly string[] | string {
  const allowed = `${configured.map((name) => JSON.stringify(name)).join(", ")} or "${ALL_DESTINATIONS}" (all)`;
  if (requested === undefined) {
    return configured.length === 1
      ? configured
      : `destination is required with ${configured.length} destinations: one of ${allowed}`;
  }
  if (requested === ALL_DESTINATIONS) return configured;
  return configured.includes(requested)
    ? [requested]
    : `destination must be one of ${allowed}, got ${JSON.stringify(requested)}`;
}

/** Validates an event and fills in the generated fields; throws {@link InvalidEventError} naming every bad field. */
export function parseWriterEvent(event: unknown, options: ParseOptions): WriterRequest {
  const parsed = writerEventSchema.safeParse(event ?? {}, { reportInput: true });
  const problems = parsed.success
    ? []
    : parsed.error.issues.slice(0, 20).map((issue) => {
        const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "event";
        if (issue.code === "unrecognized_keys") {
          return `${field} has unknown fields ${issue.keys.map((key) => JSON.stringify(key)).join(", ")}; allowed: timestamp, uuid, data${issue.path.length === 0 ? ", destination, records" : ""}`;
        }
        return issue.path.length > 0 ? `${field} ${issue.message}` : issue.message;
      });
  // The schema reports an event that is not an object, or a destination that is not a string.
  const object = event ?? {};
  const requested =
    typeof object === "object" && !Array.isArray(object) ? (object as { destination?: unknown }).destination : null;
  const destinations =
    typeof requested === "string" || requested === undefined ? chooseDestinations(requested, options.destinations) : [];
  if (typeof destinations === "string") problems.push(destinations);
  if (!parsed.success || typeof destinations === "string") throw new InvalidEventError(problems);
  const fill = ({ timestamp, uuid, data }: RecordInput): WriterRecord => ({
    timestamp: timestamp ?? options.now().toISOString(),
    uuid: uuid ?? options.randomUuid(),
    ...(data !== undefined ? { data } : {}),
  });
  const { records } = parsed.data;
  return records
    ? { records: records.map(fill), bulk: true, destinations }
    : { records: [fill(parsed.data)], bulk: false, destinations };
}
