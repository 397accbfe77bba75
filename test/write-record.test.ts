import { ConditionalCheckFailedException, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import { marshall } from "@aws-sdk/util-dynamodb";
import { DestinationWriteError } from "../functions/writer/write-failure";
import { writeRecord } from "../functions/writer/write-record";
import { DESTINATION, mockedClients } from "./writer-fixtures";

const record = {
  timestamp: "2024-05-01T12:00:00.000Z",
  uuid: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
  data: { order: 42 },
};

const conditionFailed = (existing: Record<string, unknown> = record) =>
  new ConditionalCheckFailedException({
    message: "The conditional request failed",
    $metadata: { httpStatusCode: 400 },
    Item: marshall(existing),
  });
const s3Error = (name: string, status: number, attempts = 1) =>
  new S3ServiceException({ name, $fault: "client", message: name, $metadata: { httpStatusCode: status, attempts } });

const destination = DESTINATION;
const { dynamodb, s3, clients } = mockedClients();

describe("writeRecord", () => {
  test("puts the item only if absent, then the object only if absent, under the prefix", async () => {
    dynamodb.on(PutItemCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const result = await writeRecord(clients, destination, record);
    expect(result).toEqual({
      timestamp: record.timestamp,
      uuid: record.uuid,
      table: "wd-ddb-table",
      objectUri: `s3://wd-records-222222222222-us-east-1/records/${record.uuid}.json`,
      alreadyWritten: false,
      itemWritten: true,
      objectWritten: true,
    });
    const [put] = dynamodb.commandCalls(PutItemCommand);
    expect(put.args[0].input).toEqual({
      TableName: "wd-ddb-table",
      Item: { timestamp: { S: record.timestamp }, uuid: { S: record.uuid }, data: { M: { order: { N: "42" } } } },
      ConditionExpression: "attribute_not_exists(#uuid)",
      ExpressionAttributeNames: { "#uuid": "uuid" },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    const [object] = s3.commandCalls(PutObjectCommand);
    expect(object.args[0].input).toEqual({
      Bucket: "wd-records-222222222222-us-east-1",
      Key: `records/${record.uuid}.json`,
      Body: JSON.stringify(record),
      ContentType: "application/json",
      IfNoneMatch: "*",
    });
  });

  test("a retry after the item was written completes the object and reports what it did", async () => {
    dynamodb.on(PutItemCommand).rejects(conditionFailed());
    s3.on(PutObjectCommand).resolves({});
    expect(await writeRecord(clients, destination, record)).toEqual(
      expect.objectContaining({ alreadyWritten: false, itemWritten: false, objectWritten: true }),
    );
  });

  test("an object put whose first attempt succeeded but whose answer was lost counts as written, not as a conflict", async () => {
    dynamodb.on(PutItemCommand).resolves({});
    s3.on(PutObjectCommand).rejects(s3Error("PreconditionFailed", 412, 2));
    expect(await writeRecord(clients, destination, record)).toEqual(
      expect.objectContaining({ itemWritten: true, objectWritten: false, alreadyWritten: false }),
    );
  });

  test("a replay of a complete record changes nothing and says so", async () => {
    dynamodb.on(PutItemCommand).rejects(conditionFailed());
    s3.on(PutObjectCommand).rejects(s3Error("PreconditionFailed", 412));
    expect(await writeRecord(clients, destination, record)).toEqual(
      expect.objectContaining({ alreadyWritten: true, itemWritten: false, objectWritten: false }),
    );
  });
});

describe("writeRecord fails", () => {
  test("when the table refuses, naming table, account and role, and puts no object", async () => {
    const denied = Object.assign(new Error("User is not authorized to perform: dynamodb:PutItem"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
    dynamodb.on(PutItemCommand).rejects(denied);
    const failure = writeRecord(clients, destination, record);
    await expect(failure).rejects.toThrow(DestinationWriteError);
    await expect(failure).rejects.toThrow(
      `could not put item (${record.timestamp}, ${record.uuid}) into table wd-ddb-table in account 222222222222 as arn:aws:iam::222222222222:role/assume-role-via-111111111111: AccessDeniedException (HTTP 400): User is not authorized to perform: dynamodb:PutItem`,
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test("when the bucket refuses, naming the object, account and role", async () => {
    dynamodb.on(PutItemCommand).resolves({});
    s3.on(PutObjectCommand).rejects(s3Error("AccessDenied", 403));
    await expect(writeRecord(clients, destination, record)).rejects.toThrow(
      `could not put object s3://wd-records-222222222222-us-east-1/records/${record.uuid}.json in account 222222222222 as arn:aws:iam::222222222222:role/assume-role-via-111111111111: AccessDenied (HTTP 403)`,
    );
  });

  test("when the item's key already holds other data, leaving it and the object alone", async () => {
    dynamodb.on(PutItemCommand).rejects(conditionFailed({ ...record, data: { order: 41 } }));
    await expect(writeRecord(clients, destination, record)).rejects.toThrow(
      `item (${record.timestamp}, ${record.uuid}) in table wd-ddb-table in account 222222222222 as arn:aws:iam::222222222222:role/assume-role-via-111111111111 already holds other data; it was left as it was`,
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test("when the uuid was written before with another timestamp, rather than overwriting the object", async () => {
    dynamodb.on(PutItemCommand).resolves({});
    s3.on(PutObjectCommand).rejects(s3Error("PreconditionFailed", 412));
    await expect(writeRecord(clients, destination, record)).rejects.toThrow(
      /uuid 7d444840-9dc0-11d1-b245-5ffdce74fad2 was already written with another timestamp/,
    );
  });
});
