import * as path from "node:path";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { type CrossAccountConfig, keepsSingularForm } from "../config";
import type { DeployedDestination } from "../destinations/deployed-destination";
import type { DestinationAccessRole } from "../destinations/destination-access-role";
import type { BundledCodeProps } from "../lambda/bundled-code";
import { ExecutionRole } from "../lambda/execution-role";
import { WriterFunction } from "./writer-function";
import { trustConfiguredPrincipals, trustWriter } from "./writer-trust";

const FUNCTIONS = path.resolve(__dirname, "..", "..", "functions");

/**
 * How the writer Lambda is bundled: its TypeScript entry; the SDK's default credential chain replaced by the
 * environment-only chain (Lambda provides credentials in the environment only); and the SDK clients it uses
 * bundled from tree-shakable copies.
 */
export const WRITER_BUNDLE: BundledCodeProps = {
  entry: path.join(FUNCTIONS, "writer", "handler.ts"),
  credentialChain: path.join(FUNCTIONS, "writer", "lambda-credential-chain.ts"),
  sdkClients: ["@aws-sdk/client-dynamodb", "@aws-sdk/client-s3"],
};

export interface WriterProps {
  readonly config: CrossAccountConfig;
  /** Provider of the source account. */
  readonly sourceProvider: AwsProvider;
  /** Where the writer writes, in the order of the config's destinations. */
  readonly destinations: readonly DeployedDestination[];
}

/**
 * The writer pattern (guides 000 and 002): a Lambda in the source account that writes records into every
 * destination's table and bucket. Source side: its execution role and function, allowed to assume exactly the
 * destination roles. Destination side: one role per destination, trusted by the writer's role (and the configured
 * trusted principals) and allowed only that destination's table and bucket prefix. Its outputs name both sides.
 */
export class Writer extends Construct {
  public readonly role: ExecutionRole;
  public readonly function: WriterFunction;
  /** The writer's role in each destination, in the order of `destinations`. */
  public readonly destinationRoles: readonly DestinationAccessRole[];

  constructor(scope: Construct, id: string, props: WriterProps) {
    super(scope, id);
    const { config, sourceProvider, destinations } = props;
    const { source, names } = config;

    this.role = new ExecutionRole(this, "writer-role", {
      provider: sourceProvider,
      sourceAccountId: source.accountId,
      roleName: names.writerRole,
      functionName: names.writerFunction,
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
    });

    // The writer assumes each destination's role for that destination's own access, and is trusted by it.
    this.destinationRoles = destinations.map((destination) => {
      const role = destination.roles.roleFor(destination.config.access);
      trustWriter(role, this.role.role.arn, config);
      trustConfiguredPrincipals(role, destination.config.trustedPrincipals);
      return role;
    });

    this.function = new WriterFunction(this, "writer", {
      provider: sourceProvider,
      functionName: names.writerFunction,
      writerRole: this.role,
      destinations: destinations.map((deployed, index) => ({ deployed, role: this.destinationRoles[index] })),
      sourceRegion: source.region,
      bucketPrefix: names.bucketPrefix,
      sessionDurationSeconds: config.writerSessionDurationSeconds,
      externalId: config.externalId,
      bundle: WRITER_BUNDLE,
      tracing: config.tracing,
    });

    this.addOutputs(destinations, names.bucketPrefix);
  }

  /** What users and the scripts read back: each destination, the function and its role; the singular form's own. */
  private addOutputs(destinations: readonly DeployedDestination[], bucketPrefix: string): void {
    const roleArn = (index: number) => this.destinationRoles[index].role.arn;
    const outputs: Record<string, { value: unknown; description: string }> = {
      destinations: {
        value: Object.fromEntries(
          destinations.map(({ config, table, bucket }, index) => [
            config.name,
            {
              account_id: config.accountId,
              region: config.region,
              access: config.access,
              role_arn: roleArn(index),
              table_name: table.table.name,
              bucket_name: bucket.bucket.bucket,
              bulk_objects: config.bulkObjects,
            },
          ]),
        ),
        description:
          "Each destination by name: account, region, access, role, table, bucket and how bulk events become objects",
      },
      "bucket-prefix": { value: bucketPrefix, description: "Key prefix the writer puts objects under" },
      "function-name": {
        value: this.function.function.functionName,
        description: "Writer Lambda in the source account",
      },
      "function-arn": { value: this.function.function.arn, description: "Writer Lambda ARN" },
      "source-role-arn": { value: this.role.role.arn, description: "Writer's execution role in the source account" },
    };
    const single = destinations.findIndex(({ config }) => keepsSingularForm(config));
    if (single >= 0) {
      const { table, bucket } = destinations[single];
      outputs["destination-role-arn"] = {
        value: roleArn(single),
        description: "Role the writer assumes in the destination account",
      };
      outputs["table-name"] = { value: table.table.name, description: "Destination DynamoDB table" };
      outputs["bucket-name"] = { value: bucket.bucket.bucket, description: "Destination S3 bucket" };
    }
    for (const [outputId, output] of Object.entries(outputs)) new TerraformOutput(this, outputId, output);
  }
}
