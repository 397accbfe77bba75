import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import {
  GetBucketVersioningCommand,
  HeadBucketCommand,
  NotFound,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { checkBucketName, type WantedBucket } from "../../scripts/doctor/bucket-names";
import type { ReachPath } from "../../scripts/doctor/reach";
import { checkStateBackend } from "../../scripts/doctor/state-backend";
import type { StateBackendConfig } from "../../stacks/config";

const s3 = mockClient(S3Client);
const dynamodb = mockClient(DynamoDBClient);
beforeEach(() => {
  s3.reset();
  dynamodb.reset();
});
const PATH: ReachPath = { kind: "profile", profile: "ops" };
const STATE: StateBackendConfig = {
  bucket: "team-state",
  key: "cross-account/terraform.tfstate",
  region: "eu-west-1",
  accountId: "333333333333",
  profile: "ops",
};
const TERRAFORM_1_11 = { binary: "terraform", version: "1.11.4", tofu: false };
/** HeadBucket has no body: the SDK names a 404 NotFound and any other status by its number, message UnknownError. */
const headError = (status: number) =>
  status === 404
    ? new NotFound({ $metadata: { httpStatusCode: 404 }, message: "UnknownError" })
    : new S3ServiceException({
        name: String(status),
        $fault: "client",
        $metadata: { httpStatusCode: status },
        message: "UnknownError",
      });
const rows = async (state: StateBackendConfig, terraform = TERRAFORM_1_11) =>
  Object.fromEntries((await checkStateBackend(state, PATH, terraform, {})).map((result) => [result.subject, result]));

describe("the state backend", () => {
  test("a reachable, versioned bucket with S3 lock files on Terraform 1.11 is ok", async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    const results = await rows(STATE);
    expect(Object.values(results).map((result) => result.status)).toEqual(["ok", "ok", "ok"]);
    expect(s3.commandCalls(HeadBucketCommand)[0].args[0].input).toEqual({
      Bucket: "team-state",
      ExpectedBucketOwner: "333333333333",
    });
  });

  test("a missing bucket names create-bucket with its region", async () => {
    s3.on(HeadBucketCommand).rejects(headError(404));
    const results = await rows(STATE);
    expect(results["bucket team-state"]).toMatchObject({
      status: "problem",
      fix: "aws s3api create-bucket --bucket team-state --region eu-west-1 --create-bucket-configuration LocationConstraint=eu-west-1 --profile ops",
    });
    expect(results["versioning of team-state"].status).toBe("skipped");
  });

  test("a bucket without versioning names put-bucket-versioning", async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketVersioningCommand).resolves({ Status: "Suspended" });
    expect((await rows(STATE))["versioning of team-state"]).toMatchObject({
      status: "problem",
      detail: "versioning is Suspended: an overwritten or deleted state cannot be recovered",
      fix: "aws s3api put-bucket-versioning --bucket team-state --versioning-configuration Status=Enabled --profile ops",
    });
  });

  test("[aws-rule s3-native-locking] S3 lock files on Terraform 1.10 are a problem: use_lockfile is GA from 1.11", async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    const result = (await rows(STATE, { ...TERRAFORM_1_11, version: "1.10.5" }))["lock mode use_lockfile"];
    expect(result).toMatchObject({ status: "problem" });
    expect(result.detail).toBe(
      "Terraform 1.10.5: S3 native locking is generally available from 1.11.0 (experimental in 1.10)",
    );
    expect(result.fix).toContain("or set stateBackend.lockTable");
  });

  test("[aws-rule s3-native-locking] a DynamoDB lock table must exist with the string key LockID", async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    dynamodb.on(DescribeTableCommand).rejects(
      new ResourceNotFoundException({
        $metadata: { httpStatusCode: 400 },
        message: "Requested resource not found: Table: locks not found",
      }),
    );
    const missing = (await rows({ ...STATE, lockTable: "locks" }))["lock table locks"];
    expect(missing.fix).toContain(
      "aws dynamodb create-table --table-name locks --attribute-definitions AttributeName=LockID,AttributeType=S",
    );
    dynamodb.reset();
    dynamodb.on(DescribeTableCommand).resolves({
      Table: {
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      },
    });
    expect((await rows({ ...STATE, lockTable: "locks" }))["lock table locks"].detail).toBe(
      "the table's key is id (S), Terraform needs the string key LockID",
    );
  });
});

describe("bucket names, global across all accounts", () => {
  const WANTED: WantedBucket = {
    name: "wd-records-222222222222-us-east-1",
    accountId: "222222222222",
    region: "us-east-1",
    field: "names.bucket",
  };
  const check = () => checkBucketName(WANTED, PATH, {});

  test("404 means the name is free", async () => {
    s3.on(HeadBucketCommand).rejects(headError(404));
    expect(await check()).toMatchObject({ status: "ok", detail: "free" });
  });

  test("200 means it exists already and the account can read it", async () => {
    s3.on(HeadBucketCommand).resolves({});
    expect((await check()).detail).toContain("exists already and account 222222222222 can read it");
  });

  test("403 means someone else's bucket: choose another name", async () => {
    s3.on(HeadBucketCommand).rejects(headError(403));
    expect(await check()).toMatchObject({ status: "problem", fix: "choose another name in names.bucket" });
  });

  test("301 means it exists in another region", async () => {
    s3.on(HeadBucketCommand).rejects(headError(301));
    expect((await check()).detail).toContain("taken: the bucket exists in another region than us-east-1");
  });
});
