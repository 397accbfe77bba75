import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { organizationWriterClient } from "../functions/organization-writer/client";
import { centralRoleCredentials } from "../functions/organization-writer/credentials";
import { ACCOUNT_TAG, type OrganizationWriterSettings } from "../functions/organization-writer/environment";
import { BadRecordError, parseRecord } from "../functions/organization-writer/record";
import { writeOrganizationRecord } from "../functions/organization-writer/write-record";

const sts = mockClient(STSClient);
const dynamodb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const SETTINGS: OrganizationWriterSettings = {
  centralRoleArn: "arn:aws:iam::888888888888:role/organization-writer-central",
  tableName: "organization-records",
  bucketName: "organization-records-888888888888-eu-west-1",
  bucketPrefix: "records",
  region: "eu-west-1",
};
const MEMBER = "555555555555";
const RECORD = { id: "0b6f3c1e-3d2a-4d0e-9a57-1f6d2c9a8b7e", timestamp: "2026-12-06T20:00:00Z", data: { order: 42 } };
const ITEM = { account: MEMBER, id: RECORD.id, timestamp: RECORD.timestamp, data: RECORD.data };
const clients = () => ({
  dynamodb: new DynamoDBClient({ region: "eu-west-1" }),
  s3: new S3Client({ region: "eu-west-1" }),
});
/** The error S3 answers a put with If-None-Match: * when the key exists. */
const preconditionFailed = () =>
  new S3ServiceException({ name: "PreconditionFailed", $fault: "client", $metadata: { httpStatusCode: 412 } });
const conditionFailed = (item: Record<string, unknown>) =>
  new ConditionalCheckFailedException({
    message: "The conditional request failed",
    $metadata: {},
    Item: marshall(item),
  });

beforeEach(() => {
  for (const mock of [sts, dynamodb, s3]) mock.reset();
  sts.on(AssumeRoleCommand).callsFake(() => ({
    Credentials: {
      AccessKeyId: "ASIAEXAMPLE",
      SecretAccessKey: "s",
      SessionToken: "t",
      Expiration: new Date(Date.now() + 3_600_000),
    },
  }));
});

describe("organization writer client: records", () => {
  test.each([
    ["record", null, /record must be a JSON object \{ id, timestamp, data \}, got null/],
    [
      "account",
      { ...RECORD, account: "666666666666" },
      /account is not a record field; allowed: id, timestamp, data \(the account comes from the session\)/,
    ],
    ["id", { ...RECORD, id: "a/b" }, /id must be 1-128 letters, digits, '\.', '_' or '-' \(a uuid fits\), got "a\/b"/],
    [
      "timestamp",
      { ...RECORD, timestamp: "yesterday" },
      /timestamp must be an ISO 8601 UTC time such as 2026-01-31T12:00:00Z, got "yesterday"/,
    ],
    ["data", { ...RECORD, data: [1] }, /data must be a JSON object, got \[1\]/],
  ])(
    "a record with a bad %s is refused with the field named, and nothing is written",
    async (field, input, message) => {
      expect(() => parseRecord(input)).toThrow(message);
      await expect(writeOrganizationRecord(clients(), SETTINGS, MEMBER, input)).rejects.toMatchObject({ field });
      expect(dynamodb.calls()).toHaveLength(0);
      expect(s3.calls()).toHaveLength(0);
    },
  );

  test("writes the item under the caller's account partition and the object under <prefix>/<account>/, each only if absent", async () => {
    const result = await writeOrganizationRecord(clients(), SETTINGS, MEMBER, RECORD);
    expect(result).toEqual({
      account: MEMBER,
      id: RECORD.id,
      objectUri: `s3://${SETTINGS.bucketName}/records/${MEMBER}/${RECORD.id}.json`,
      alreadyWritten: false,
    });
    expect(dynamodb.commandCalls(PutItemCommand)[0].args[0].input).toMatchObject({
      TableName: SETTINGS.tableName,
      Item: marshall(ITEM),
      ConditionExpression: "attribute_not_exists(#id)",
    });
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input).toMatchObject({
      Bucket: SETTINGS.bucketName,
      Key: `records/${MEMBER}/${RECORD.id}.json`,
      IfNoneMatch: "*",
    });
  });

  test("a replay finds both written with the same data: nothing changes, reported as already written", async () => {
    dynamodb.on(PutItemCommand).rejects(conditionFailed(ITEM));
    s3.on(PutObjectCommand).rejects(preconditionFailed());
    expect(await writeOrganizationRecord(clients(), SETTINGS, MEMBER, RECORD)).toMatchObject({ alreadyWritten: true });
  });

  test("an id already used with other data is a conflict, named, and the object is not written", async () => {
    dynamodb.on(PutItemCommand).rejects(conditionFailed({ ...ITEM, data: { order: 7 } }));
    await expect(writeOrganizationRecord(clients(), SETTINGS, MEMBER, RECORD)).rejects.toThrow(
      `item ${RECORD.id} in table organization-records for account ${MEMBER} as ${SETTINGS.centralRoleArn} already holds other data; it was left as it was`,
    );
    expect(s3.calls()).toHaveLength(0);
  });

  test("an AWS refusal surfaces with the account, role and table", async () => {
    dynamodb.on(PutItemCommand).rejects(
      Object.assign(new Error("User is not authorized to perform: dynamodb:PutItem"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(writeOrganizationRecord(clients(), SETTINGS, MEMBER, RECORD)).rejects.toThrow(
      `could not put item ${RECORD.id} into table organization-records for account ${MEMBER} as ${SETTINGS.centralRoleArn}: AccessDeniedException (HTTP 400)`,
    );
  });
});

describe("organization writer client: credentials", () => {
  test("assumes the central role in its region with a named session, one hour and the account session tag", async () => {
    await centralRoleCredentials(SETTINGS, { account: MEMBER, sessionName: "orders-api" })();
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      {
        RoleArn: SETTINGS.centralRoleArn,
        RoleSessionName: "orders-api",
        DurationSeconds: 3600,
        Tags: [{ Key: ACCOUNT_TAG, Value: MEMBER }],
      },
    ]);
    expect(await sts.commandCalls(AssumeRoleCommand)[0].thisValue.config.region()).toBe("eu-west-1");
  });

  test("assumes the central role with the member role's session when a member role is given", async () => {
    const memberRoleArn = `arn:aws:iam::${MEMBER}:role/organization-writer`;
    await centralRoleCredentials(SETTINGS, { account: MEMBER, sessionName: "orders-api", memberRoleArn })();
    // The mock answers before a client resolves its credentials: resolve the central call's own, the member session.
    await sts.commandCalls(AssumeRoleCommand)[0].thisValue.config.credentials();
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      SETTINGS.centralRoleArn,
      memberRoleArn,
    ]);
  });

  test("one session for many writes while it is fresh", async () => {
    const client = organizationWriterClient(SETTINGS, { account: MEMBER, sessionName: "orders-api" });
    for (const index of [1, 2, 3]) await client.write({ ...RECORD, id: `r-${index}` });
    // The mocks answer before a client resolves its credentials: resolve each call's as the SDK would.
    const calls = [...dynamodb.commandCalls(PutItemCommand), ...s3.commandCalls(PutObjectCommand)];
    for (const call of calls) await call.thisValue.config.credentials();
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(dynamodb.commandCalls(PutItemCommand)).toHaveLength(3);
  });

  test("BadRecordError names its field", () => {
    expect(new BadRecordError("id", "must be ...")).toMatchObject({ field: "id", message: "id must be ..." });
  });
});
