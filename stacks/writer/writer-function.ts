import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { writerEnvironment } from "../../functions/writer/environment";
import type { DeployedDestination } from "../destinations/deployed-destination";
import type { DestinationAccessRole } from "../destinations/destination-access-role";
import { BundledCode, type BundledCodeProps } from "../lambda/bundled-code";
import type { ExecutionRole } from "../lambda/execution-role";
import { policyDocument, toJson } from "../policy-document";
import { writerIds } from "./writer-ids";

export interface WriterFunctionProps {
  /** Provider of the source account. */
  readonly provider: AwsProvider;
  readonly functionName: string;
  /** The execution role (and log group) made for this function. */
  readonly writerRole: ExecutionRole;
  /** Where it writes, at least one: each destination with the role the writer assumes there. */
  readonly destinations: readonly { readonly deployed: DeployedDestination; readonly role: DestinationAccessRole }[];
  readonly sourceRegion: string;
  readonly bucketPrefix: string;
  /** Session length the writer asks for, at most 3600 s (role chaining). */
  readonly sessionDurationSeconds: number;
  /** `sts:ExternalId` sent to every destination without its own. @default - none */
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

    this.assumePolicies = destinations.map(({ deployed, role }) => {
      const ids = writerIds(deployed.config);
      return new IamRolePolicy(this, ids.assumePolicy, {
        provider,
        name: ids.assumePolicyName,
        role: writerRole.role.id,
        policy: toJson(
          policyDocument({
            Sid: "AssumeTheDestinationRoleOnly",
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Resource: role.role.arn,
          }),
        ),
      });
    });

    this.code = new BundledCode(this, "code", props.bundle);

    const variables = writerEnvironment({
      destinations: destinations.map(({ deployed: { config, table, bucket }, role }) => ({
        name: config.name,
        accountId: config.accountId,
        region: config.region,
        roleArn: role.role.arn,
        tableName: table.table.name,
        bucketName: bucket.bucket.bucket,
        externalId: config.externalId,
        bulkObjects: config.bulkObjects,
      })),
      bucketPrefix: props.bucketPrefix,
      stsRegion: props.sourceRegion,
      roleSessionName: props.functionName,
      sessionDurationSeconds: props.sessionDurationSeconds,
      // An ExternalId guards against confused deputies; it is not a secret (CKV_AWS_45 concerns secrets).
      externalId: props.externalId,
    });
    const accounts = [...new Set(destinations.map(({ deployed }) => deployed.config.accountId))].join(", ");
    const description =
      destinations.length === 1
        ? `Writes records into ${accounts}'s table and bucket through a cross-account role`
        : `Writes records into the tables and buckets of ${destinations.length} destinations in ${accounts} through cross-account roles`;

    this.function = new LambdaFunction(this, "function", {
      provider,
      functionName: props.functionName,
      description: description.slice(0, 256),
      ...this.code.functionProps(writerRole.role.arn, props.tracing),
      timeout: props.timeoutSeconds ?? 120,
      memorySize: props.memorySize ?? 256,
      environment: { variables },
      dependsOn: [writerRole.logGroup, writerRole.logsPolicy, ...this.assumePolicies],
    });
  }
}
