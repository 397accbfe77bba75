import { InvalidEventError, MAX_DATA_BYTES, MAX_RECORDS, parseWriterEvent } from "../functions/writer/event";
import { MALFORMED_EVENTS, nested } from "./malformed-events";

const defaults = {
  now: () => new Date("2024-05-01T12:00:00.000Z"),
  randomUuid: () => "3b241101-e2bb-4255-8caf-4136c566a962",
  destinations: ["destination"],
};

function problemsOf(event: unknown): string {
  try {
    parseWriterEvent(event, defaults);
  } catch (error) {
    if (error instanceof InvalidEventError) return error.problems.join("\n");
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(event)?.slice(0, 60)} to be rejected`);
}

describe("parseWriterEvent", () => {
  test("an empty event gets a generated ISO 8601 timestamp and a random uuid, as in the original guide", () => {
    const generated = {
      records: [{ timestamp: "2024-05-01T12:00:00.000Z", uuid: "3b241101-e2bb-4255-8caf-4136c566a962" }],
      bulk: false,
      destinations: ["destination"],
    };
    expect(parseWriterEvent({}, defaults)).toEqual(generated);
    expect(parseWriterEvent(null, defaults)).toEqual(generated);
  });

  test("supplied timestamp, uuid and data are kept", () => {
    const event = {
      timestamp: "2023-07-20T03:01:00-07:00",
      uuid: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
      data: { order: 42, items: [{ sku: "a-1", qty: 2 }], note: null },
    };
    expect(parseWriterEvent(event, defaults)).toEqual({ records: [event], bulk: false, destinations: ["destination"] });
  });

  test("data at the size and depth limits is accepted", () => {
    const data = { blob: "x".repeat(MAX_DATA_BYTES - '{"blob":""}'.length) };
    expect(Buffer.byteLength(JSON.stringify(parseWriterEvent({ data }, defaults).records[0].data))).toBe(
      MAX_DATA_BYTES,
    );
    expect(parseWriterEvent({ data: nested(31) }, defaults).records[0].data).toEqual(nested(31));
  });

  test(`a bulk event carries 1 to ${MAX_RECORDS} records, each filled in like a single one`, () => {
    const supplied = {
      timestamp: "2024-05-01T12:00:00Z",
      uuid: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
      data: { n: 1 },
    };
    expect(parseWriterEvent({ records: [supplied, {}] }, defaults)).toEqual({
      records: [supplied, { timestamp: "2024-05-01T12:00:00.000Z", uuid: "3b241101-e2bb-4255-8caf-4136c566a962" }],
      bulk: true,
      destinations: ["destination"],
    });
    const most = Array.from({ length: MAX_RECORDS }, (_, index) => ({
      timestamp: "2024-05-01T12:00:00Z",
      uuid: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    }));
    expect(parseWriterEvent({ records: most }, defaults).records).toHaveLength(MAX_RECORDS);
  });
});

describe("parseWriterEvent fails", () => {
  test.each(MALFORMED_EVENTS)("when %s", (_name, event, expected) => {
    expect(problemsOf(event)).toMatch(expected);
  });

  test("names every bad field at once", () => {
    expect(problemsOf({ timestamp: "yesterday", uuid: 7, data: 3 }).split("\n")).toHaveLength(3);
  });
});
