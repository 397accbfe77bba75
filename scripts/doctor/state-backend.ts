import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetBucketVersioningCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { StateBackendConfig } from "../../stacks/config";
import { awsErrorOf, describeAwsError } from "./aws-error";
import { type CheckResult, ok, problem, skipped } from "./check";
import { clientSettings, profileFlag, type ReachPath } from "./reach";
import { compareVersions, MINIMUM_TERRAFORM_FOR_NATIVE_LOCKING, type TerraformFound } from "./tools";

const GROUP = "state";

/** The state bucket reachable and versioned, and a lock mode the Terraform at hand supports. */
export async function checkStateBackend(
  state: StateBackendConfig,
  path: ReachPath,
  terraform: TerraformFound,
  env: NodeJS.ProcessEnv,
): Promise<CheckResult[]> {
  const settings = clientSettings(path, state.region, env);
  const s3 = new S3Client(settings);
  const as = profileFlag(path);
  try {
    const bucket = await stateBucket(s3, state, as);
    const versioning =
      bucket.status === "ok"
        ? await bucketVersioning(s3, state, as)
        : skipped(GROUP, `versioning of ${state.bucket}`, "the bucket is not reachable");
    return [bucket, versioning, await lockMode(state, terraform, path, env)];
  } finally {
    s3.destroy();
  }
}

async function stateBucket(s3: S3Client, state: StateBackendConfig, as: string): Promise<CheckResult> {
  const subject = `bucket ${state.bucket}`;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: state.bucket, ExpectedBucketOwner: state.accountId }));
    return ok(GROUP, subject, `reachable in ${state.accountId}`);
  } catch (error) {
    const { httpStatusCode } = awsErrorOf(error);
    if (httpStatusCode === 404) {
      const location =
        state.region === "us-east-1" ? "" : ` --create-bucket-configuration LocationConstraint=${state.region}`;
      return problem(
        GROUP,
        subject,
        `${state.bucket} does not exist: the S3 backend needs an existing bucket`,
        `aws s3api create-bucket --bucket ${state.bucket} --region ${state.region}${location}${as}`,
      );
    }
    return problem(
      GROUP,
      subject,
      `${state.bucket} is not readable as account ${state.accountId} (it belongs to another account, or s3:ListBucket is not allowed): ${describeAwsError(error)}`,
      `allow s3:ListBucket, s3:GetObject, s3:PutObject on ${state.bucket} for the state path, or set stateBackend.bucket to a bucket of ${state.accountId}`,
    );
  }
}

async function bucketVersioning(s3: S3Client, state: StateBackendConfig, as: string): Promise<CheckResult> {
  const subject = `versioning of ${state.bucket}`;
  const fix = `aws s3api put-bucket-versioning --bucket ${state.bucket} --versioning-configuration Status=Enabled${as}`;
  try {
    const { Status: status } = await s3.send(new GetBucketVersioningCommand({ Bucket: state.bucket }));
    return status === "Enabled"
      ? ok(GROUP, subject, "enabled")
      : problem(
          GROUP,
          subject,
          `versioning is ${status ?? "off"}: an overwritten or deleted state cannot be recovered`,
          fix,
        );
  } catch (error) {
    return problem(GROUP, subject, `GetBucketVersioning failed: ${describeAwsError(error)}`, fix);
  }
}

/** use_lockfile needs Terraform >= 1.11 (GA); a DynamoDB lock table must exist with the string key LockID. */
async function lockMode(
  state: StateBackendConfig,
  terraform: TerraformFound,
  path: ReachPath,
  env: NodeJS.ProcessEnv,
): Promise<CheckResult> {
  if (!state.lockTable) {
    const subject = "lock mode use_lockfile";
    if (!terraform.version) return skipped(GROUP, subject, `${terraform.binary} did not answer`);
    if (terraform.tofu)
      return skipped(
        GROUP,
        subject,
        `${terraform.binary} ${terraform.version}: OpenTofu's support of use_lockfile is not checked`,
      );
    return compareVersions(terraform.version, MINIMUM_TERRAFORM_FOR_NATIVE_LOCKING) >= 0
      ? ok(GROUP, subject, `S3 lock files; Terraform ${terraform.version} supports them`)
      : problem(
          GROUP,
          subject,
          `Terraform ${terraform.version}: S3 native locking is generally available from ${MINIMUM_TERRAFORM_FOR_NATIVE_LOCKING} (experimental in 1.10)`,
          `install Terraform >= ${MINIMUM_TERRAFORM_FOR_NATIVE_LOCKING}, or set stateBackend.lockTable to a DynamoDB table with string key LockID`,
        );
  }
  const subject = `lock table ${state.lockTable}`;
  const dynamodb = new DynamoDBClient(clientSettings(path, state.region, env));
  try {
    const { Table: table } = await dynamodb.send(new DescribeTableCommand({ TableName: state.lockTable }));
    const key = table?.KeySchema?.find((entry) => entry.KeyType === "HASH");
    const type = table?.AttributeDefinitions?.find(
      (entry) => entry.AttributeName === key?.AttributeName,
    )?.AttributeType;
    return key?.AttributeName === "LockID" && type === "S"
      ? ok(GROUP, subject, "DynamoDB locks, string key LockID")
      : problem(
          GROUP,
          subject,
          `the table's key is ${key?.AttributeName} (${type}), Terraform needs the string key LockID`,
          "name a table whose hash key is LockID (S) in stateBackend.lockTable",
        );
  } catch (error) {
    if (awsErrorOf(error).name === "ResourceNotFoundException") {
      return problem(
        GROUP,
        subject,
        `${state.lockTable} does not exist in ${state.region}`,
        `aws dynamodb create-table --table-name ${state.lockTable} --attribute-definitions AttributeName=LockID,AttributeType=S --key-schema AttributeName=LockID,KeyType=HASH --billing-mode PAY_PER_REQUEST --region ${state.region}${profileFlag(path)}`,
      );
    }
    return problem(
      GROUP,
      subject,
      `DescribeTable failed: ${describeAwsError(error)}`,
      `allow dynamodb:DescribeTable, GetItem, PutItem, DeleteItem on ${state.lockTable}`,
    );
  } finally {
    dynamodb.destroy();
  }
}
