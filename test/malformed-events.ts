import { MAX_DATA_BYTES, MAX_RECORDS } from "../functions/writer/event";

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let level = 1; level < depth; level += 1) value = { level: value };
  return value;
}

/** Events the writer must refuse: [what is wrong, the event, what the error must say]. Shared by unit and emulator tests. */
export const MALFORMED_EVENTS: ReadonlyArray<readonly [string, unknown, RegExp]> = [
  ["the event is an array", [], /the event must be a JSON object, got \[\]/],
  ["the event is a string", "write please", /the event must be a JSON object, got "write please"/],
  ["the event is a number", 42, /the event must be a JSON object, got 42/],
  ["the event is a boolean", true, /the event must be a JSON object, got true/],
  [
    "the timestamp is not ISO 8601",
    { timestamp: "01/05/2024 12:00" },
    /timestamp must be an ISO 8601 date-time such as 2024-05-01T12:00:00\.000Z, got "01\/05\/2024 12:00"/,
  ],
  [
    "the timestamp is a date without time",
    { timestamp: "2024-05-01" },
    /timestamp must be an ISO 8601 date-time.*got "2024-05-01"/,
  ],
  [
    "the timestamp has no offset",
    { timestamp: "2024-05-01T12:00:00" },
    /timestamp must be an ISO 8601 date-time.*got "2024-05-01T12:00:00"/,
  ],
  [
    "the timestamp is an impossible date",
    { timestamp: "2023-02-29T12:00:00Z" },
    /timestamp must be an ISO 8601 date-time.*got "2023-02-29T12:00:00Z"/,
  ],
  ["the timestamp is a number", { timestamp: 1714564800 }, /timestamp must be an ISO 8601 date-time.*got 1714564800/],
  [
    "the uuid is not a UUID",
    { timestamp: "2024-05-01T12:00:00Z", uuid: "order-42" },
    /uuid must be a UUID such as 3b241101-e2bb-4255-8caf-4136c566a962, got "order-42"/,
  ],
  [
    "the uuid is wrapped in braces",
    { timestamp: "2024-05-01T12:00:00Z", uuid: "{3b241101-e2bb-4255-8caf-4136c566a962}" },
    /uuid must be a UUID.*got "\{3b241101/,
  ],
  [
    "the uuid is given without a timestamp",
    { uuid: "3b241101-e2bb-4255-8caf-4136c566a962" },
    /timestamp is required when uuid is given/,
  ],
  ["data is an array", { data: [1, 2] }, /data must be a JSON object, got \[1,2\]/],
  ["data is a string", { data: "hello" }, /data must be a JSON object, got "hello"/],
  ["data is null", { data: null }, /data must be a JSON object, got null/],
  [
    "data is too large for one DynamoDB item",
    { data: { blob: "x".repeat(MAX_DATA_BYTES) } },
    new RegExp(
      `data must be at most ${MAX_DATA_BYTES} bytes of JSON to fit one DynamoDB item, got ${MAX_DATA_BYTES + 11} bytes`,
    ),
  ],
  [
    "data is nested deeper than DynamoDB allows",
    { data: nested(32) },
    /data must be nested at most 31 levels deep \(DynamoDB's limit\), got 32 levels/,
  ],
  [
    "a field is unknown",
    { timestamp: "2024-05-01T12:00:00Z", payload: {} },
    /event has unknown fields "payload"; allowed: timestamp, uuid, data, destination, records/,
  ],
  [
    "records is not an array",
    { records: { timestamp: "2024-05-01T12:00:00Z" } },
    /records must be an array of records, got \{"timestamp"/,
  ],
  ["records is empty", { records: [] }, /records must hold at least one record/],
  [
    "there are too many records",
    { records: Array.from({ length: MAX_RECORDS + 1 }, () => ({})) },
    new RegExp(`records must hold at most ${MAX_RECORDS} records, got ${MAX_RECORDS + 1}`),
  ],
  ["a record is not an object", { records: [{}, 7] }, /records\.1 must be a JSON object, got 7/],
  [
    "a record has a bad field",
    { records: [{}, {}, { timestamp: "soon" }] },
    /records\.2\.timestamp must be an ISO 8601 date-time.*got "soon"/,
  ],
  [
    "a record has an unknown field",
    { records: [{ id: 1 }] },
    /records\.0 has unknown fields "id"; allowed: timestamp, uuid, data$/m,
  ],
  [
    "two records share a uuid",
    {
      records: [
        { timestamp: "2024-05-01T12:00:00Z", uuid: "3b241101-e2bb-4255-8caf-4136c566a962" },
        { timestamp: "2024-05-01T12:00:01Z", uuid: "3b241101-e2bb-4255-8caf-4136c566a962" },
      ],
    },
    /records\.1\.uuid repeats records\.0\.uuid "3b241101-e2bb-4255-8caf-4136c566a962": each record needs its own/,
  ],
  [
    "records come with single-record fields",
    { timestamp: "2024-05-01T12:00:00Z", records: [{}] },
    /records cannot be combined with timestamp: put every record in records/,
  ],
];

export { nested };
