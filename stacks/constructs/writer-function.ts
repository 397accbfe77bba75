import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { WRITER_ENVIRONMENT, WriterSettingName } from "../../functions/writer/settings";
import { policyDocument, toJson } from "../policy-document";
import { BUNDLE_HANDLER, BundledCode } from "./bundled-code";
import { WriterRole } from "./writer-role";

export interface WriterFunctionProps {
  /** Provider of the source account. */
  readonly provider: AwsProvider;
  readonly functionName: string;
  /** The execution role (and log group) made for this function. */
  readonly writerRole: WriterRole;
  /** The role in the destination account the writer assumes, the only role it may assume. */
  readonly destinationRole: IamRole;
  readonly destinationAccountId: string;
  readonly destinationRegion: string;
  readonly sourceRegion: string;
  readonly table: DynamodbTable;
  readonly bucket: S3Bucket;
  readonly bucketPrefix: string;
  /** Session length the writer asks for, at most 3600 s (role chaining). */
  readonly sessionDurationSeconds: number;
  /** @default - none */
  readonly externalId?: string;
  /** TypeScript entry of the handler. */
  readonly entry: string;
  /** Module that replaces the SDK's default credential chain in the bundle. @default - the SDK's own */
  readonly credentialChain?: string;
  /** @default true */
  readonly tracing?: boolean;
  /** @default 120 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memorySize?: number;
}

/** The writer Lambda in the source account, bundled from `functions/`, allowed to assume one destination role. */
export class WriterFunction extends Construct {
  public readonly function: LambdaFunction;
  public readonly assumePolicy: IamRolePolicy;
  public readonly code: BundledCode;

  constructor(scope: Construct, id: string, props: WriterFunctionProps) {
    super(scope, id);
    const { provider, writerRole } = props;

    this.assumePolicy = new IamRolePolicy(this, "assume-destination-policy", {
      provider,
      name: `sts-access-to-${props.destinationAccountId}`,
      role: writerRole.role.id,
      policy: toJson(policyDocument({
        Sid: "AssumeTheDestinationRoleOnly",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: props.destinationRole.arn,
      })),
    });

    this.code = new BundledCode(this, "code", { entry: props.entry, credentialChain: props.credentialChain });

    const settings: Record<WriterSettingName, string | undefined> = {
      destinationRoleArn: props.destinationRole.arn,
      destinationAccountId: props.destinationAccountId,
      destinationRegion: props.destinationRegion,
      tableName: props.table.name,
      bucketName: props.bucket.bucket,
      bucketPrefix: props.bucketPrefix,
      stsRegion: props.sourceRegion,
      roleSessionName: props.functionName,
      sessionDurationSeconds: String(props.sessionDurationSeconds),
      // An ExternalId guards against confused deputies; it is not a secret (CKV_AWS_45 concerns secrets).
      externalId: props.externalId,
    };
    const variables = Object.fromEntries(
      Object.entries(settings)
        .filter((entry): entry is [WriterSettingName, string] => entry[1] !== undefined)
        .map(([name, value]) => [WRITER_ENVIRONMENT[name], value]),
    );

    this.function = new LambdaFunction(this, "function", {
      provider,
      functionName: props.functionName,
      description: `Writes records into ${props.destinationAccountId}'s table and bucket through a cross-account role`,
      role: writerRole.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: BUNDLE_HANDLER,
      filename: this.code.asset.path,
      sourceCodeHash: this.code.asset.assetHash,
      timeout: props.timeoutSeconds ?? 120,
      memorySize: props.memorySize ?? 256,
      environment: { variables },
      tracingConfig: { mode: (props.tracing ?? true) ? "Active" : "PassThrough" },
      dependsOn: [writerRole.logGroup, writerRole.logsPolicy, this.assumePolicy],
    });
  }
}
