import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { BulkObjectLayout, writerEnvironment } from "../../functions/writer/environment";
import { policyDocument, toJson } from "../policy-document";
import { BUNDLE_HANDLER, BundledCode, BundledCodeProps } from "./bundled-code";
import { WriterRole } from "./writer-role";

/** One destination the writer writes to, as the stack made it. */
export interface WriterDestination {
  /** The name events use to pick it. */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** The destination's role, the one role the writer assumes for it. */
  readonly role: IamRole;
  readonly table: DynamodbTable;
  readonly bucket: S3Bucket;
  /** The `sts:ExternalId` its role requires. @default - the writer-wide `externalId` */
  readonly externalId?: string;
  /** How bulk events' records become objects in its bucket. @default "per-record" */
  readonly bulkObjects?: BulkObjectLayout;
  /** Construct id of the writer's `sts:AssumeRole` policy for this destination. */
  readonly assumePolicyId: string;
  /** Name of that inline policy on the writer's role. */
  readonly assumePolicyName: string;
}

export interface WriterFunctionProps {
  /** Provider of the source account. */
  readonly provider: AwsProvider;
  readonly functionName: string;
  /** The execution role (and log group) made for this function. */
  readonly writerRole: WriterRole;
  /** Where it writes: at least one. */
  readonly destinations: readonly WriterDestination[];
  readonly sourceRegion: string;
  readonly bucketPrefix: string;
  /** Session length the writer asks for, at most 3600 s (role chaining). */
  readonly sessionDurationSeconds: number;
  /** @default - none */
  readonly externalId?: string;
  /** How to bundle the handler. */
  readonly bundle: BundledCodeProps;
  /** @default true */
  readonly tracing?: boolean;
  /** @default 120 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memorySize?: number;
}

/**
 * The writer Lambda in the source account, bundled from `functions/`, allowed to assume exactly the destination
 * roles, each through its own policy naming that one role.
 */
export class WriterFunction extends Construct {
  public readonly function: LambdaFunction;
  /** One per destination, in the order of `destinations`. */
  public readonly assumePolicies: readonly IamRolePolicy[];
  public readonly code: BundledCode;

  constructor(scope: Construct, id: string, props: WriterFunctionProps) {
    super(scope, id);
    const { provider, writerRole, destinations } = props;
    if (destinations.length === 0) throw new Error(`WriterFunction ${id} needs at least one destination, got none`);

    this.assumePolicies = destinations.map((destination) => new IamRolePolicy(this, destination.assumePolicyId, {
      provider,
      name: destination.assumePolicyName,
      role: writerRole.role.id,
      policy: toJson(policyDocument({
        Sid: "AssumeTheDestinationRoleOnly",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: destination.role.arn,
      })),
    }));

    this.code = new BundledCode(this, "code", props.bundle);

    const variables = writerEnvironment({
      destinations: destinations.map((destination) => ({
        name: destination.name,
        accountId: destination.accountId,
        region: destination.region,
        roleArn: destination.role.arn,
        tableName: destination.table.name,
        bucketName: destination.bucket.bucket,
        externalId: destination.externalId,
        bulkObjects: destination.bulkObjects,
      })),
      bucketPrefix: props.bucketPrefix,
      stsRegion: props.sourceRegion,
      roleSessionName: props.functionName,
      sessionDurationSeconds: props.sessionDurationSeconds,
      // An ExternalId guards against confused deputies; it is not a secret (CKV_AWS_45 concerns secrets).
      externalId: props.externalId,
    });
    const accounts = [...new Set(destinations.map((destination) => destination.accountId))].join(", ");
    const description = destinations.length === 1
      ? `Writes records into ${accounts}'s table and bucket through a cross-account role`
      : `Writes records into the tables and buckets of ${destinations.length} destinations in ${accounts} through cross-account roles`;

    this.function = new LambdaFunction(this, "function", {
      provider,
      functionName: props.functionName,
      description: description.slice(0, 256),
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
      dependsOn: [writerRole.logGroup, writerRole.logsPolicy, ...this.assumePolicies],
    });
  }
}
