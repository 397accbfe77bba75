import { createHash } from "node:crypto";
import { BatchWriteItemCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import { marshall } from "@aws-sdk/util-dynamodb";
import { RECORDS_PER_BATCH_OBJECT } from "../functions/writer/environment";
import {
  batchObjectKey,
  ITEMS_PER_BATCH_WRITE,
  UNPROCESSED_MAX_ATTEMPTS,
  writeBulk,
} from "../functions/writer/write-bulk";
import { DESTINATION, mockedClients } from "./writer-fixtures";

const records = Array.from({ length: 60 }, (_, index) => ({
  timestamp: new Date(Date.UTC(2024, 4, 1, 0, 0, index)).toISOString(),
  uuid: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
  data: { index },
}));
const noWait = { backoffMs: () => 0 };
const putRequest = (record: (typeof records)[number]) => ({ PutRequest: { Item: marshall(record) } });
const preconditionFailed = () =>
  new S3ServiceException({
    name: "PreconditionFailed",
    $fault: "client",
    message: "At least one of the pre-conditions you specified did not hold",
    $metadata: { httpStatusCode: 412, attempts: 1 },
  });
const accessDenied = () =>
  new S3ServiceException({
    name: "AccessDenied",
    $fault: "client",
    message: "Access Denied",
    $metadata: { httpStatusCode: 403 },
  });

const destination = DESTINATION;
const { dynamodb, s3, clients } = mockedClients();

describe("writeBulk", () => {
  test(`puts items ${ITEMS_PER_BATCH_WRITE} per BatchWriteItem call, then each object only if absent`, async () => {
    dynamodb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: {} });
    s3.on(PutObjectCommand).resolves({});
    const result = await writeBulk(clients, destination, records, noWait);
    expect(result).toEqual({
      table: "wd-ddb-table",
      bucketUri: "s3://wd-records-222222222222-us-east-1/records/",
      written: 60,
      alreadyPresent: 0,
      failed: [],
    });
    const calls = dynamodb.commandCalls(BatchWriteItemCommand);
    expect(calls.map((call) => call.args[0].input.RequestItems?.["wd-ddb-table"]?.length)).toEqual([25, 25, 10]);
    expect(calls.flatMap((call) => call.args[0].input.RequestItems!["wd-ddb-table"])).toEqual(
      expect.arrayContaining(records.map(putRequest)),
    );
    const objects = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(objects).toHaveLength(60);
    expect(objects[0]).toEqual(
      expect.objectContaining({
        Key: `records/${records[0].uuid}.json`,
        IfNoneMatch: "*",
        Body: JSON.stringify(records[0]),
      }),
    );
  });

  test("puts UnprocessedItems again until DynamoDB takes them", async () => {
    const firstBatch = records.slice(0, 25).map(putRequest);
    dynamodb
      .on(BatchWriteItemCommand)
      .resolvesOnce({ UnprocessedItems: { "wd-ddb-table": firstBatch.slice(10) } })
      .resolvesOnce({ UnprocessedItems: { "wd-ddb-table": firstBatch.slice(20) } })
      .resolves({ UnprocessedItems: {} });
    s3.on(PutObjectCommand).resolves({});
    const result = await writeBulk(clients, destination, records.slice(0, 25), noWait);
    expect(result.written).toBe(25);
    expect(
      dynamodb
        .commandCalls(BatchWriteItemCommand)
        .map((call) => call.args[0].input.RequestItems?.["wd-ddb-table"]?.length),
    ).toEqual([25, 15, 5]);
  });

  test("a replayed event counts records whose object exists as already present", async () => {
    dynamodb.on(BatchWriteItemCommand).resolves({});
    s3.on(PutObjectCommand).rejects(preconditionFailed());
    expect(await writeBulk(clients, destination, records, noWait)).toEqual(
      expect.objectContaining({ written: 0, alreadyPresent: 60, failed: [] }),
    );
  });
});

describe("writeBulk fails", () => {
  test(`records still unprocessed after ${UNPROCESSED_MAX_ATTEMPTS} attempts, with the reason, and puts no object for them`, async () => {
    dynamodb
      .on(BatchWriteItemCommand)
      .callsFake((input) => ({ UnprocessedItems: { "wd-ddb-table": input.RequestItems["wd-ddb-table"].slice(-2) } }));
    s3.on(PutObjectCommand).resolves({});
    const result = await writeBulk(clients, destination, records.slice(0, 25), noWait);
    expect(result.written).toBe(23);
    expect(result.failed).toEqual(
      [23, 24].map((index) => ({
        timestamp: records[index].timestamp,
        uuid: records[index].uuid,
        reason: `item left unprocessed by table wd-ddb-table in account 222222222222 as arn:aws:iam::222222222222:role/assume-role-via-111111111111 after ${UNPROCESSED_MAX_ATTEMPTS} BatchWriteItem attempts (throttled)`,
      })),
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(23);
  });

  test("a batch the table refuses, naming table, account and role", async () => {
    const denied = Object.assign(new Error("not authorized to perform: dynamodb:BatchWriteItem"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
    dynamodb.on(BatchWriteItemCommand).rejects(denied);
    const result = await writeBulk(clients, destination, records.slice(0, 3), noWait);
    expect(result.failed.map((failure) => failure.reason)).toEqual(
      Array(3).fill(
        "could not put items into table wd-ddb-table in account 222222222222 as arn:aws:iam::222222222222:role/assume-role-via-111111111111: AccessDeniedException (HTTP 400): not authorized to perform: dynamodb:BatchWriteItem",
      ),
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test("an object the bucket refuses, naming the object, after its item was written", async () => {
    dynamodb.on(BatchWriteItemCommand).resolves({});
    s3.on(PutObjectCommand).rejects(accessDenied());
    const [failure] = (await writeBulk(clients, destination, records.slice(0, 1), noWait)).failed;
    expect(failure.reason).toBe(
      `item written, but could not put object s3://wd-records-222222222222-us-east-1/records/${records[0].uuid}.json in account 222222222222 as arn:aws:iam::222222222222:role/assume-role-via-111111111111: AccessDenied (HTTP 403): Access Denied`,
    );
  });
});

describe("writeBulk per-batch", () => {
  const perBatch = { ...destination, bulkObjects: "per-batch" as const };
  const many = Array.from({ length: 2_500 }, (_, index) => ({
    timestamp: new Date(Date.UTC(2024, 4, 1, 0, 0, 0, index)).toISOString(),
    uuid: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    data: { index },
  }));
  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
  const putObjects = () => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
  /** The batch object of these records (its key checked against an independent hash in the first test). */
  const batchUri = (batch: typeof many) => `s3://wd-records-222222222222-us-east-1/${batchObjectKey(perBatch, batch)}`;
  const identities = (batch: Array<{ timestamp: string; uuid: string }>) =>
    batch.map(({ timestamp, uuid }) => `${timestamp} ${uuid}\n`).join("");

  test(`puts one JSON Lines object per ${RECORDS_PER_BATCH_OBJECT} records, named by their identities, only if absent`, async () => {
    dynamodb.on(BatchWriteItemCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const result = await writeBulk(clients, perBatch, many, noWait);
    expect(dynamodb.commandCalls(BatchWriteItemCommand)).toHaveLength(100);
    const objects = putObjects().sort((a, b) => String(a.Body).localeCompare(String(b.Body)));
    expect(
      objects.map((object) =>
        String(object.Body)
          .split("\n")
          .slice(0, -1)
          .map((line) => JSON.parse(line)),
      ),
    ).toEqual([many.slice(0, 1000), many.slice(1000, 2000), many.slice(2000)]);
    for (const object of objects) {
      const lines = String(object.Body)
        .split("\n")
        .slice(0, -1)
        .map((line) => JSON.parse(line));
      expect(object).toEqual({
        Bucket: perBatch.bucketName,
        Key: `records/batches/${sha256(identities(lines))}.jsonl`,
        Body: object.Body,
        ContentType: "application/x-ndjson",
        IfNoneMatch: "*",
      });
    }
    expect(result).toEqual({
      table: "wd-ddb-table",
      bucketUri: "s3://wd-records-222222222222-us-east-1/records/",
      written: 2_500,
      alreadyPresent: 0,
      failed: [],
      batchObjects: [0, 1000, 2000].map((start) => batchUri(many.slice(start, start + 1000))),
    });
  });

  test("a replayed event makes the same objects and finds them there: already present, nothing new", async () => {
    dynamodb.on(BatchWriteItemCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const first = await writeBulk(clients, perBatch, many, noWait);
    const keys = putObjects()
      .map((object) => object.Key)
      .sort();
    s3.reset();
    s3.on(PutObjectCommand).rejects(preconditionFailed());
    const replay = await writeBulk(clients, perBatch, many, noWait);
    expect(
      putObjects()
        .map((object) => object.Key)
        .sort(),
    ).toEqual(keys);
    expect(replay).toEqual({ ...first, written: 0, alreadyPresent: 2_500 });
  });

  test("a 412 after the SDK retried its own put counts the batch as written", async () => {
    dynamodb.on(BatchWriteItemCommand).resolves({});
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: "PreconditionFailed",
        $fault: "client",
        message: "precondition",
        $metadata: { httpStatusCode: 412, attempts: 2 },
      }),
    );
    expect(await writeBulk(clients, perBatch, many.slice(0, 10), noWait)).toEqual(
      expect.objectContaining({ written: 10, alreadyPresent: 0, failed: [] }),
    );
  });

  test("a batch with a failed item is not put; its other records fail with the object named, in the event's order", async () => {
    dynamodb.on(BatchWriteItemCommand).callsFake((input) => {
      const requests = input.RequestItems["wd-ddb-table"] as Array<{ PutRequest: { Item: { uuid: { S: string } } } }>;
      return {
        UnprocessedItems: {
          "wd-ddb-table": requests.filter((request) => request.PutRequest.Item.uuid.S === many[1500].uuid),
        },
      };
    });
    s3.on(PutObjectCommand).resolves({});
    const result = await writeBulk(clients, perBatch, many, noWait);
    const middle = batchUri(many.slice(1000, 2000));
    expect(putObjects()).toHaveLength(2);
    expect(result.batchObjects).toEqual([batchUri(many.slice(0, 1000)), batchUri(many.slice(2000))]);
    expect(result.written).toBe(1_500);
    // Listed in the event's order, so sending exactly these records again makes the same batch and key.
    expect(result.failed.map((failure) => failure.uuid)).toEqual(many.slice(1000, 2000).map((record) => record.uuid));
    expect(result.failed[500].reason).toMatch(/^item left unprocessed by table wd-ddb-table/);
    expect(result.failed[0].reason).toBe(
      `item written, but batch object ${middle} was not put: 1 of its 1000 records failed; sending the records again (same timestamps and uuids) completes it`,
    );
  });

  test("one batch object refused, another put: each batch counted on its own", async () => {
    dynamodb.on(BatchWriteItemCommand).resolves({});
    const first = batchObjectKey(perBatch, many.slice(0, 1000));
    s3.on(PutObjectCommand).callsFake((input) => {
      if (input.Key === first)
        throw new S3ServiceException({
          name: "SlowDown",
          $fault: "server",
          message: "Please reduce your request rate.",
          $metadata: { httpStatusCode: 503 },
        });
      return {};
    });
    const result = await writeBulk(clients, perBatch, many.slice(0, 1500), noWait);
    expect(result).toEqual(
      expect.objectContaining({ written: 500, alreadyPresent: 0, batchObjects: [batchUri(many.slice(1000, 1500))] }),
    );
    expect(result.failed.map((failure) => failure.uuid)).toEqual(many.slice(0, 1000).map((record) => record.uuid));
    expect(result.failed[0].reason).toMatch(
      /^item written, but could not put batch object s3:\/\/wd-records-222222222222-us-east-1\/records\/batches\/[0-9a-f]{64}\.jsonl in account 222222222222 as .*: SlowDown \(HTTP 503\): Please reduce your request rate\.$/,
    );
  });

  test("the same records with other data make the same key (the identities name the object, as uuids name single ones)", () => {
    expect(
      batchObjectKey(
        perBatch,
        many.slice(0, 3).map((record) => ({ ...record, data: { other: true } })),
      ),
    ).toBe(batchObjectKey(perBatch, many.slice(0, 3)));
    expect(batchObjectKey(perBatch, many.slice(1, 4))).not.toBe(batchObjectKey(perBatch, many.slice(0, 3)));
  });

  test("an object the bucket refuses fails each record of its batch, naming object, account and role", async () => {
    dynamodb.on(BatchWriteItemCommand).resolves({});
    s3.on(PutObjectCommand).rejects(accessDenied());
    const result = await writeBulk(clients, perBatch, many.slice(0, 3), noWait);
    const uri = batchUri(many.slice(0, 3));
    expect(result).toEqual(expect.objectContaining({ written: 0, batchObjects: [] }));
    expect(result.failed.map((failure) => failure.reason)).toEqual(
      Array(3).fill(
        `item written, but could not put batch object ${uri} in account 222222222222 as arn:aws:iam::222222222222:role/assume-role-via-111111111111: AccessDenied (HTTP 403): Access Denied`,
      ),
    );
  });
});
