import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DynamoDBClient, ListTablesCommand, paginateScan } from "@aws-sdk/client-dynamodb";
import { IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { GetObjectCommand, ListBucketsCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { AwsCredentialIdentity } from "@smithy/types";
import { assumedCredentials } from "../../functions/shared/assumed-credentials";
import { EMULATOR_DEPLOY_ROLE_NAME } from "../../stacks/identifiers";

/** Credentials that act in the emulator as the given role (moto: the role's account is the caller's account). */
export async function assumeInEmulator(
  endpoint: string,
  roleArn: string,
  sessionName: string,
  region = "us-east-1",
): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({ region, endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const { Credentials: credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }),
  );
  const { accessKeyId, secretAccessKey, sessionToken } = assumedCredentials(roleArn, credentials);
  return { accessKeyId, secretAccessKey, sessionToken };
}

/** Administrator credentials of an account in the emulator, as the deploy role the providers use. */
export function accountAdmin(endpoint: string, accountId: string): Promise<AwsCredentialIdentity> {
  return assumeInEmulator(endpoint, `arn:aws:iam::${accountId}:role/${EMULATOR_DEPLOY_ROLE_NAME}`, "inspect");
}

/** Whom the credentials that `npm run assume -- --format json` printed act as in the emulator: the caller's ARN. */
export async function identityOfPrinted(endpoint: string, printed: string): Promise<string | undefined> {
  const { AccessKeyId, SecretAccessKey, SessionToken } = JSON.parse(printed);
  const credentials = { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken };
  const sts = new STSClient({ region: "us-east-1", endpoint, credentials });
  return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
}

/** What one account holds of the kinds of resources the stack makes. */
export interface AccountInventory {
  readonly roles: string[];
  readonly tables: string[];
  readonly buckets: string[];
  readonly functions: string[];
  readonly logGroups: string[];
}

/** One account of the emulator, inspected with that account's own administrator credentials. */
export class EmulatorAccount {
  static async open(endpoint: string, accountId: string, region = "us-east-1"): Promise<EmulatorAccount> {
    return new EmulatorAccount(accountId, region, endpoint, await accountAdmin(endpoint, accountId));
  }

  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly iam: IAMClient;
  readonly lambda: LambdaClient;
  readonly logs: CloudWatchLogsClient;

  private constructor(
    readonly accountId: string,
    readonly region: string,
    readonly endpoint: string,
    readonly credentials: AwsCredentialIdentity,
  ) {
    const config = { region, endpoint, credentials };
    this.dynamodb = new DynamoDBClient(config);
    this.s3 = new S3Client({ ...config, forcePathStyle: true });
    this.iam = new IAMClient(config);
    this.lambda = new LambdaClient(config);
    this.logs = new CloudWatchLogsClient(config);
  }

  async inventory(): Promise<AccountInventory> {
    const [roles, tables, buckets, functions, logGroups] = await Promise.all([
      this.iam.send(new ListRolesCommand({})).then((result) => (result.Roles ?? []).map((role) => role.RoleName ?? "")),
      this.dynamodb.send(new ListTablesCommand({})).then((result) => result.TableNames ?? []),
      this.s3
        .send(new ListBucketsCommand({}))
        .then((result) => (result.Buckets ?? []).map((bucket) => bucket.Name ?? "")),
      this.lambda
        .send(new ListFunctionsCommand({}))
        .then((result) => (result.Functions ?? []).map((fn) => fn.FunctionName ?? "")),
      this.logs
        .send(new DescribeLogGroupsCommand({}))
        .then((result) => (result.logGroups ?? []).map((group) => group.logGroupName ?? "")),
    ]);
    return {
      roles: roles.sort(),
      tables: tables.sort(),
      buckets: buckets.sort(),
      functions: functions.sort(),
      logGroups: logGroups.sort(),
    };
  }

  /** Every item of a table, unmarshalled. */
  async items(tableName: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateScan({ client: this.dynamodb }, { TableName: tableName })) {
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    }
    return items;
  }

  /** Every version of every object under a prefix, with its key. */
  async objectVersions(bucket: string, prefix: string): Promise<Array<{ key: string; versionId: string }>> {
    const versions: Array<{ key: string; versionId: string }> = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          VersionIdMarker: versionIdMarker,
        }),
      );
      versions.push(
        ...(page.Versions ?? []).map((version) => ({ key: version.Key ?? "", versionId: version.VersionId ?? "" })),
      );
      [keyMarker, versionIdMarker] = page.IsTruncated
        ? [page.NextKeyMarker, page.NextVersionIdMarker]
        : [undefined, undefined];
    } while (keyMarker !== undefined);
    return versions;
  }

  async objectJson(bucket: string, key: string): Promise<unknown> {
    return JSON.parse(await this.objectText(bucket, key));
  }

  async objectText(bucket: string, key: string): Promise<string> {
    const result = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!result.Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return result.Body.transformToString();
  }
}
