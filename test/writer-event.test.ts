import { InvalidEventError, MAX_DATA_BYTES, parseWriterEvent } from "../functions/writer/event";

const defaults = { now: () => new Date("2024-05-01T12:00:00.000Z"), randomUuid: () => "3b241101-e2bb-4255-8caf-4136c566a962" };

function problemsOf(event: unknown): string {
  try {
    parseWriterEvent(event, defaults);
  } catch (error) {
    if (error instanceof InvalidEventError) return error.problems.join("\n");
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(event)?.slice(0, 60)} to be rejected`);
}

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let level = 1; level < depth; level += 1) value = { level: value };
  return value;
}

describe("parseWriterEvent", () => {
  test("an empty event gets a generated ISO 8601 timestamp and a random uuid, as in the original guide", () => {
    expect(parseWriterEvent({}, defaults)).toEqual({ timestamp: "2024-05-01T12:00:00.000Z", uuid: "3b241101-e2bb-4255-8caf-4136c566a962" });
    expect(parseWriterEvent(null, defaults)).toEqual({ timestamp: "2024-05-01T12:00:00.000Z", uuid: "3b241101-e2bb-4255-8caf-4136c566a962" });
  });

  test("supplied timestamp, uuid and data are kept", () => {
    const event = { timestamp: "2023-07-20T03:01:00-07:00", uuid: "7d444840-9dc0-11d1-b245-5ffdce74fad2", data: { order: 42, items: [{ sku: "a-1", qty: 2 }], note: null } };
    expect(parseWriterEvent(event, defaults)).toEqual(event);
  });

  test("data at the size and depth limits is accepted", () => {
    const data = { blob: "x".repeat(MAX_DATA_BYTES - '{"blob":""}'.length) };
    expect(Buffer.byteLength(JSON.stringify(parseWriterEvent({ data }, defaults).data))).toBe(MAX_DATA_BYTES);
    expect(parseWriterEvent({ data: nested(31) }, defaults).data).toEqual(nested(31));
  });
});

describe("parseWriterEvent fails", () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ["when the event is an array", [], /the event must be a JSON object, got \[\]/],
    ["when the event is a string", "write please", /the event must be a JSON object, got "write please"/],
    ["when the event is a number", 42, /the event must be a JSON object, got 42/],
    ["when the timestamp is not ISO 8601", { timestamp: "01/05/2024 12:00" }, /timestamp must be an ISO 8601 date-time such as 2024-05-01T12:00:00\.000Z, got "01\/05\/2024 12:00"/],
    ["when the timestamp is a date without time", { timestamp: "2024-05-01" }, /timestamp must be an ISO 8601 date-time.*got "2024-05-01"/],
    ["when the timestamp is a number", { timestamp: 1714564800 }, /timestamp must be an ISO 8601 date-time.*got 1714564800/],
    ["when the uuid is not a UUID", { timestamp: "2024-05-01T12:00:00Z", uuid: "order-42" }, /uuid must be a UUID such as 3b241101-e2bb-4255-8caf-4136c566a962, got "order-42"/],
    ["when the uuid is given without a timestamp", { uuid: "3b241101-e2bb-4255-8caf-4136c566a962" }, /timestamp is required when uuid is given/],
    ["when data is an array", { data: [1, 2] }, /data must be a JSON object, got \[1,2\]/],
    ["when data is a string", { data: "hello" }, /data must be a JSON object, got "hello"/],
    ["when data is too large for one DynamoDB item", { data: { blob: "x".repeat(MAX_DATA_BYTES) } }, new RegExp(`data must be at most ${MAX_DATA_BYTES} bytes of JSON to fit one DynamoDB item, got ${MAX_DATA_BYTES + 11} bytes`)],
    ["when data is nested deeper than DynamoDB allows", { data: nested(32) }, /data must be nested at most 31 levels deep \(DynamoDB's limit\), got 32 levels/],
    ["when a field is unknown", { timestamp: "2024-05-01T12:00:00Z", payload: {} }, /event has unknown fields "payload"; allowed: timestamp, uuid, data/],
  ];

  test.each(cases)("%s", (_name, event, expected) => {
    expect(problemsOf(event)).toMatch(expected);
  });

  test("names every bad field at once", () => {
    expect(problemsOf({ timestamp: "yesterday", uuid: 7, data: 3 }).split("\n")).toHaveLength(3);
  });
});
