import { BatchWriteItemCommand, ConditionalCheckFailedException, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import { marshall } from "@aws-sdk/util-dynamodb";
import { InvalidEventError, parseWriterEvent } from "../functions/writer/event";
import { DestinationWriteError } from "../functions/writer/write-failure";
import { writeToDestinations } from "../functions/writer/write-to-destinations";
import type { DestinationWithClients } from "../functions/writer/writer-clients";
import { DESTINATION, mockedClients } from "./writer-fixtures";

const { dynamodb, s3, clients } = mockedClients();
const destinationWithClients = (name: string, accountId: string): DestinationWithClients => ({
  settings: {
    ...DESTINATION,
    name,
    accountId,
    roleArn: `arn:aws:iam::${accountId}:role/writer-${name}`,
    tableName: `table-${name}`,
    bucketName: `bucket-${name}`,
  },
  clients,
});
const DESTINATIONS = new Map([
  ["analytics", destinationWithClients("analytics", "222222222222")],
  ["archive", destinationWithClients("archive", "333333333333")],
]);
const NAMES = [...DESTINATIONS.keys()];
const record = {
  timestamp: "2024-05-01T12:00:00.000Z",
  uuid: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
  data: { order: 42 },
};
const parse = (event: unknown) =>
  parseWriterEvent(event, {
    now: () => new Date(),
    randomUuid: () => "3b241101-e2bb-4255-8caf-4136c566a962",
    destinations: NAMES,
  });

const tablesPut = () => dynamodb.commandCalls(PutItemCommand).map((call) => call.args[0].input.TableName);
const bucketsPut = () => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Bucket);

describe("writeToDestinations", () => {
  test("a record sent to one destination is written there and nowhere else", async () => {
    dynamodb.on(PutItemCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const response = await writeToDestinations(DESTINATIONS, parse({ ...record, destination: "archive" }));
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toEqual(
      expect.objectContaining({
        destination: "archive",
        table: "table-archive",
        objectUri: `s3://bucket-archive/records/${record.uuid}.json`,
        alreadyWritten: false,
      }),
    );
    expect([tablesPut(), bucketsPut()]).toEqual([["table-archive"], ["bucket-archive"]]);
  });

  test('"*" writes the same record (same timestamp and uuid) into every destination and reports each', async () => {
    dynamodb.on(PutItemCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const response = await writeToDestinations(DESTINATIONS, parse({ destination: "*", data: { order: 1 } }));
    expect(response.statusCode).toBe(201);
    const { results } = JSON.parse(response.body) as {
      results: { destination: string; uuid: string; table: string }[];
    };
    expect(results.map(({ destination, table }) => [destination, table])).toEqual([
      ["analytics", "table-analytics"],
      ["archive", "table-archive"],
    ]);
    expect(new Set(results.map(({ uuid }) => uuid))).toEqual(new Set(["3b241101-e2bb-4255-8caf-4136c566a962"]));
    expect(tablesPut().sort()).toEqual(["table-analytics", "table-archive"]);
    expect(bucketsPut().sort()).toEqual(["bucket-analytics", "bucket-archive"]);
  });

  test('a replay to "*" is 200 with every destination already written', async () => {
    dynamodb
      .on(PutItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: "exists", $metadata: {}, Item: marshall(record) }));
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: "PreconditionFailed",
        $fault: "client",
        message: "exists",
        $metadata: { httpStatusCode: 412, attempts: 1 },
      }),
    );
    const response = await writeToDestinations(DESTINATIONS, parse({ ...record, destination: "*" }));
    expect(response.statusCode).toBe(200);
    expect(
      (JSON.parse(response.body) as { results: { alreadyWritten: boolean }[] }).results.map(
        (result) => result.alreadyWritten,
      ),
    ).toEqual([true, true]);
  });

  test("a failure in one destination fails the event, naming that destination and where it was written, so a retry completes it", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), {
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400 },
    });
    dynamodb
      .on(PutItemCommand, { TableName: "table-archive" })
      .rejects(throttled)
      .on(PutItemCommand, { TableName: "table-analytics" })
      .resolves({});
    s3.on(PutObjectCommand).resolves({});
    const failure = writeToDestinations(DESTINATIONS, parse({ ...record, destination: "*" }));
    await expect(failure).rejects.toThrow(DestinationWriteError);
    await expect(failure).rejects.toThrow(
      /^destination archive: could not put item .* into table table-archive in account 333333333333 as arn:aws:iam::333333333333:role\/writer-archive: ThrottlingException .*\(written to analytics; retrying the event is safe/,
    );
    expect(bucketsPut()).toEqual(["bucket-analytics"]);
  });

  test('a bulk event to "*" reports each destination\'s counts; failed records make it 207', async () => {
    dynamodb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: {} });
    s3.on(PutObjectCommand, { Bucket: "bucket-analytics" })
      .resolves({})
      .on(PutObjectCommand, { Bucket: "bucket-archive" })
      .rejects(Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
    const records = [record, { ...record, uuid: "0b6f3c1e-3d2a-4d0e-9a57-1f6d2c9a8b7e" }];
    const response = await writeToDestinations(DESTINATIONS, parse({ destination: "*", records }));
    expect(response.statusCode).toBe(207);
    const { results } = JSON.parse(response.body) as {
      results: { destination: string; written: number; failed: unknown[] }[];
    };
    expect(results.map(({ destination, written, failed }) => [destination, written, failed.length])).toEqual([
      ["analytics", 2, 0],
      ["archive", 0, 2],
    ]);
  });
});

describe("the event's destination field", () => {
  const problems = (event: unknown, destinations = NAMES) => {
    try {
      parseWriterEvent(event, { now: () => new Date(), randomUuid: () => "x", destinations });
    } catch (error) {
      if (error instanceof InvalidEventError) return error.problems.join("\n");
      throw error;
    }
    throw new Error("expected the event to be refused");
  };

  test("defaults to the only destination, and picks one or all", () => {
    expect(
      parseWriterEvent({}, { now: () => new Date(), randomUuid: () => "x", destinations: ["destination"] })
        .destinations,
    ).toEqual(["destination"]);
    expect(parse({ destination: "archive" }).destinations).toEqual(["archive"]);
    expect(parse({ destination: "*", records: [{}] }).destinations).toEqual(["analytics", "archive"]);
  });

  test.each<[string, unknown, RegExp]>([
    [
      "is required when there are several",
      {},
      /^destination is required with 2 destinations: one of "analytics", "archive" or "\*" \(all\)$/,
    ],
    [
      "must name a configured destination",
      { destination: "analytic" },
      /^destination must be one of "analytics", "archive" or "\*" \(all\), got "analytic"$/,
    ],
    [
      "must be a string",
      { destination: ["analytics"] },
      /^destination must be a destination name or "\*", got \["analytics"\]$/,
    ],
  ])("%s, and the event writes nothing", (_name, event, expected) => {
    expect(problems(event)).toMatch(expected);
  });

  test("is reported together with the record's own problems", () => {
    expect(
      problems({ destination: "nowhere", timestamp: "2024-05-01T12:00:00Z", uuid: "not-a-uuid" }).split("\n"),
    ).toEqual([expect.stringMatching(/^uuid must be a UUID/), expect.stringMatching(/^destination must be one of/)]);
  });
});

describe("the event's destination field, for events that are not objects", () => {
  test.each([
    ["a string", "analytics"],
    ["an array", [{ destination: "analytics" }]],
  ])("%s is refused for its shape only", (_name, event) => {
    try {
      parse(event);
    } catch (error) {
      expect((error as InvalidEventError).problems).toEqual([
        expect.stringMatching(/^the event must be a JSON object, got /),
      ]);
      return;
    }
    throw new Error("expected the event to be refused");
  });
});
