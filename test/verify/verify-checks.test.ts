import { DeleteItemCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  NoSuchKey,
  S3Client,
} from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { writerEventSchema } from "../../functions/writer/event";
import type { VerifyContext } from "../../scripts/verify/context";
import type { Deployment } from "../../scripts/verify/deployment";
import { LambdaInvoker } from "../../scripts/verify/invoker";
import { checkSourcePrincipals } from "../../scripts/verify/principals-check";
import { checkWriter, PROBE_MARK, probeRecord } from "../../scripts/verify/writer-check";
import { type CrossAccountConfigInput, resolveConfig } from "../../stacks/config";

const lambda = mockClient(LambdaClient);
const dynamodb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);

const NOW = new Date("2026-05-01T12:00:00.000Z");
const BUCKET = "wd-records-222222222222-us-east-1";
const REAL: CrossAccountConfigInput = {
  source: { accountId: "111111111111", region: "us-east-1" },
  destination: {
    accountId: "222222222222",
    region: "us-east-1",
    deployRoleArn: "arn:aws:iam::222222222222:role/deploy",
  },
};
const DEPLOYMENT = {
  stackDirectory: "/nowhere",
  state: {},
  synthesized: {},
  outputs: {
    "function-name": "cross-account-dynamodb-write",
    "bucket-prefix": "records",
    destinations: {
      destination: {
        account_id: "222222222222",
        region: "us-east-1",
        access: "write",
        role_arn: "arn:aws:iam::222222222222:role/assume-role-via-111111111111",
        table_name: "wd-ddb-table",
        bucket_name: BUCKET,
        bulk_objects: "per-record",
      },
    },
  },
} as Deployment;

function contextOf(input: CrossAccountConfigInput, overrides: Partial<VerifyContext> = {}): VerifyContext {
  return {
    config: resolveConfig(input),
    deployment: DEPLOYMENT,
    invoker: new LambdaInvoker(new LambdaClient({ region: "us-east-1" }), "us-east-1"),
    deployCredentials: () => ({ accessKeyId: "AKIADEPLOY", secretAccessKey: "secret" }),
    clientSettings: (region, credentials) => ({ region, credentials }),
    now: () => NOW,
    ...overrides,
  };
}

// What GetObject answers, as far as verify reads it: a body that turns into text.
const body = (text: string) => ({ transformToString: async () => text }) as never;
const written = () =>
  JSON.parse(Buffer.from(lambda.commandCalls(InvokeCommand)[0].args[0].input.Payload as Uint8Array).toString());

beforeEach(() => {
  for (const client of [lambda, dynamodb, s3, sts]) client.reset();
  lambda.on(InvokeCommand).resolves({
    StatusCode: 200,
    Payload: Buffer.from(JSON.stringify({ statusCode: 201, body: "{}" })) as never,
  });
});

describe("the writer's probe", () => {
  test("is a record the writer's event contract accepts, recognizable by its uuid and data.probe", () => {
    const record = probeRecord(NOW);
    expect(record.uuid).toMatch(/^00000000-0000-4000-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(record.data).toEqual({ probe: PROBE_MARK });
    expect(writerEventSchema.safeParse({ ...record, destination: "destination" }).success).toBe(true);
  });

  test("written, read back from the table and the bucket, then removed with every version of its object", async () => {
    dynamodb
      .on(GetItemCommand)
      .resolvesOnce({ Item: marshall({ data: { probe: PROBE_MARK } }) })
      .resolves({});
    s3.on(GetObjectCommand).callsFake((input) => ({ Body: body(JSON.stringify({ uuid: input.Key.slice(8, -5) })) }));
    s3.on(ListObjectVersionsCommand)
      .callsFakeOnce((input) => ({
        Versions: [{ Key: input.Prefix, VersionId: "v1" }],
        DeleteMarkers: [
          { Key: input.Prefix, VersionId: "m1" },
          { Key: `${input.Prefix}.other`, VersionId: "x" },
        ],
      }))
      .resolves({});
    const lines: string[] = [];
    const results = await checkWriter(contextOf(REAL), (result) => lines.push(result.check));
    expect(lines).toEqual(results.map((result) => result.check));
    expect(results.map((result) => `${result.status} ${result.check}`)).toEqual([
      "ok destination: the writer writes a probe",
      "ok destination: the probe is in the table",
      "ok destination: the probe is in the bucket",
      "ok destination: the probe is removed",
    ]);
    const { uuid, timestamp } = written();
    expect(written()).toEqual({
      timestamp: NOW.toISOString(),
      uuid,
      data: { probe: PROBE_MARK },
      destination: "destination",
    });
    expect(dynamodb.commandCalls(DeleteItemCommand)[0].args[0].input).toEqual({
      TableName: "wd-ddb-table",
      Key: { timestamp: { S: timestamp }, uuid: { S: uuid } },
    });
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: `records/${uuid}.json`, VersionId: "v1" },
      { Bucket: BUCKET, Key: `records/${uuid}.json`, VersionId: "m1" },
    ]);
  });

  test("that the table and the bucket do not hold fails naming the table, the key and the object", async () => {
    dynamodb.on(GetItemCommand).resolves({});
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ message: "The specified key does not exist.", $metadata: { httpStatusCode: 404 } }),
    );
    s3.on(ListObjectVersionsCommand).resolves({});
    const results = await checkWriter(contextOf(REAL));
    const { uuid } = written();
    expect(results.map((result) => `${result.status} ${result.detail}`)).toEqual([
      `ok cross-account-dynamodb-write answered 201 for uuid ${uuid}`,
      `failed no item ${NOW.toISOString()} / ${uuid} in table wd-ddb-table of 222222222222`,
      `failed no object s3://${BUCKET}/records/${uuid}.json in 222222222222`,
      "ok deleted the item and 0 object version(s); nothing left",
    ]);
  });

  test("a writer that fails is reported with its error, and the probe's removal is still attempted", async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: "Unhandled",
      Payload: Buffer.from(JSON.stringify({ errorMessage: "AccessDenied on wd-ddb-table" })) as never,
    });
    dynamodb.on(GetItemCommand).resolves({});
    s3.on(ListObjectVersionsCommand).resolves({});
    const results = await checkWriter(contextOf(REAL));
    expect(results[0]).toEqual({
      check: "destination: the writer writes a probe",
      status: "failed",
      detail: expect.stringContaining(
        'cross-account-dynamodb-write failed (Unhandled): {"errorMessage":"AccessDenied on wd-ddb-table"}',
      ),
    });
    expect(results.map((result) => result.check)).toEqual([
      "destination: the writer writes a probe",
      "destination: the probe is removed",
    ]);
  });
});

describe("source principals", () => {
  const PRINCIPALS: CrossAccountConfigInput = {
    ...REAL,
    sourcePrincipals: {
      instanceRoles: [{ name: "batch-ec2", destinations: ["destination"] }],
      operators: [{ group: "operators", users: ["alice", "bob"], destinations: ["destination"] }],
    },
  };

  test("without their credentials at hand, each is skipped saying why: instance metadata, not the operator, no MFA code", async () => {
    const caller = {
      arn: "arn:aws:iam::111111111111:user/alice",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    };
    const results = await checkSourcePrincipals(contextOf(PRINCIPALS, { caller }));
    expect(results.map((result) => `${result.status} ${result.check}: ${result.detail}`)).toEqual([
      "skipped instance-role/batch-ec2 -> destination (write): an instance role's credentials come from EC2 instance metadata (you are arn:aws:iam::111111111111:user/alice): run verify on an instance with role batch-ec2",
      "skipped operator/alice -> destination (write): alice's role requires MFA: give a current code of their device with --mfa-code",
      "skipped operator/bob -> destination (write): operator bob's credentials are not at hand (you are arn:aws:iam::111111111111:user/alice): run verify as bob (AWS_PROFILE)",
    ]);
    expect(sts.calls()).toHaveLength(0);
  });

  test("the operator at hand assumes the destination role with MFA, and the session is checked with sts:GetCallerIdentity", async () => {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: "ASIA", SecretAccessKey: "s", SessionToken: "t", Expiration: new Date() },
    });
    sts.on(GetCallerIdentityCommand).resolves({
      Arn: "arn:aws:sts::222222222222:assumed-role/assume-role-via-111111111111/verify-alice",
    });
    const caller = {
      arn: "arn:aws:iam::111111111111:user/alice",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    };
    const results = await checkSourcePrincipals(contextOf(PRINCIPALS, { caller, mfaCode: "123456" }));
    expect(results[1]).toEqual({
      check: "operator/alice -> destination (write)",
      status: "ok",
      detail: "arn:aws:sts::222222222222:assumed-role/assume-role-via-111111111111/verify-alice",
    });
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input).toEqual({
      RoleArn: "arn:aws:iam::222222222222:role/assume-role-via-111111111111",
      RoleSessionName: "verify-alice",
      SerialNumber: "arn:aws:iam::111111111111:mfa/alice",
      TokenCode: "123456",
    });
  });

  test("AssumeRole denied is a failure carrying AWS's error", async () => {
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(
        new Error("User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole"),
        {
          name: "AccessDenied",
          $metadata: { httpStatusCode: 403 },
        },
      ),
    );
    const caller = {
      arn: "arn:aws:iam::111111111111:user/alice",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    };
    const [, alice] = await checkSourcePrincipals(contextOf(PRINCIPALS, { caller, mfaCode: "123456" }));
    expect(alice.status).toBe("failed");
    expect(alice.detail).toBe(
      "AccessDenied: User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole",
    );
  });
});
