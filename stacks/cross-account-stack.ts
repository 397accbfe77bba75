import * as path from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { CrossAccountConfig, DEFAULT_DESTINATION_NAME, DestinationConfig } from "./config";
import { BundledCodeProps } from "./constructs/bundled-code";
import { DestinationAccessRole } from "./constructs/destination-access-role";
import { DestinationBucket } from "./constructs/destination-bucket";
import { DestinationTable } from "./constructs/destination-table";
import { WriterFunction } from "./constructs/writer-function";
import { WriterRole } from "./constructs/writer-role";
import { accountProvider, stateBackend } from "./providers";

export { STACK_NAME } from "./identifiers";

/**
 * How the writer Lambda is bundled: its TypeScript entry; the SDK's default credential chain replaced by the
 * environment-only chain (Lambda provides credentials in the environment only); and the SDK clients it uses
 * bundled from tree-shakable copies.
 */
export const WRITER_BUNDLE: BundledCodeProps = {
  entry: path.resolve(__dirname, "..", "functions", "writer", "handler.ts"),
  credentialChain: path.resolve(__dirname, "..", "functions", "writer", "lambda-credential-chain.ts"),
  sdkClients: ["@aws-sdk/client-dynamodb", "@aws-sdk/client-s3"],
};

export interface CrossAccountStackProps {
  readonly config: CrossAccountConfig;
}

/** What the stack made for one destination. */
export interface DeployedDestination {
  readonly config: DestinationConfig;
  /** The aliased provider of the destination's account and region (shared by destinations there). */
  readonly provider: AwsProvider;
  readonly table: DestinationTable;
  readonly bucket: DestinationBucket;
  readonly access: DestinationAccessRole;
}

/**
 * Construct ids of a destination's resources. The destination named "destination" (the singular config form)
 * keeps the ids the stack has always given it, so moving to `destinations` replaces nothing.
 */
export function destinationIds(destination: Pick<DestinationConfig, "name" | "accountId">) {
  const legacy = destination.name === DEFAULT_DESTINATION_NAME;
  const prefix = legacy ? "destination" : `destination-${destination.name}`;
  return {
    table: `${prefix}-table`,
    bucket: `${prefix}-bucket`,
    access: `${prefix}-access`,
    assumePolicy: `assume-${destination.name}-policy`,
    assumePolicyName: legacy ? `sts-access-to-${destination.accountId}` : `sts-access-to-${destination.name}`,
  };
}

/**
 * Provider alias of a destination's account and region: "destination" while there is one such pair, otherwise
 * "destination-<account>-<region>". A provider's alias is not part of a resource's address, so this replaces nothing.
 */
export function destinationProviderAlias(destination: Pick<DestinationConfig, "accountId" | "region">, pairs: number): string {
  return pairs === 1 ? "destination" : `destination-${destination.accountId}-${destination.region}`;
}

/**
 * The source account and every destination in one stack: a provider per account and region, so every
 * cross-account ARN is a Terraform reference that resolves in a single plan.
 */
export class CrossAccountStack extends TerraformStack {
  public readonly writerRole: WriterRole;
  public readonly writer: WriterFunction;
  /** In the order of the config's destinations. */
  public readonly destinations: readonly DeployedDestination[];

  constructor(scope: Construct, id: string, props: CrossAccountStackProps) {
    super(scope, id);
    const { config } = props;
    const { source, names } = config;

    if (config.stateBackend) stateBackend(this, config.stateBackend, config.emulator);
    const sourceProvider = accountProvider(this, { alias: "source", account: source, emulator: config.emulator });
    const pairs = new Set(config.destinations.map((destination) => `${destination.accountId}/${destination.region}`)).size;
    const providers = new Map<string, AwsProvider>();
    const providerFor = (destination: DestinationConfig): AwsProvider => {
      const alias = destinationProviderAlias(destination, pairs);
      const existing = providers.get(alias);
      if (existing) return existing;
      const provider = accountProvider(this, { alias, side: "destination", account: destination, emulator: config.emulator });
      providers.set(alias, provider);
      return provider;
    };

    this.writerRole = new WriterRole(this, "writer-role", {
      provider: sourceProvider,
      sourceAccountId: source.accountId,
      roleName: names.writerRole,
      functionName: names.writerFunction,
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
    });

    this.destinations = config.destinations.map((destination) => {
      const ids = destinationIds(destination);
      const provider = providerFor(destination);
      const table = new DestinationTable(this, ids.table, {
        provider,
        tableName: destination.table,
        allowDataDeletion: config.allowDataDeletion,
      });
      const bucket = new DestinationBucket(this, ids.bucket, {
        provider,
        bucketName: destination.bucket,
        allowDataDeletion: config.allowDataDeletion,
        // moto 5.2.1 ignores the policy's Bool condition and would deny every put, so the emulator goes without it.
        denyInsecureTransport: config.emulator === undefined,
      });
      const access = new DestinationAccessRole(this, ids.access, {
        provider,
        roleName: destination.role,
        trustedRole: this.writerRole.role,
        sourceAccountId: source.accountId,
        table: table.table,
        bucket: bucket.bucket,
        bucketPrefix: names.bucketPrefix,
        access: destination.access,
        trustMode: config.trustMode,
        externalId: destination.externalId,
        organizationId: config.organizationId,
        maxSessionDurationSeconds: config.maxSessionDurationSeconds,
        trustedPrincipals: destination.trustedPrincipals,
      });
      return { config: destination, provider, table, bucket, access };
    });

    this.writer = new WriterFunction(this, "writer", {
      provider: sourceProvider,
      functionName: names.writerFunction,
      writerRole: this.writerRole,
      destinations: this.destinations.map(({ config: destination, table, bucket, access }) => {
        const ids = destinationIds(destination);
        return {
          name: destination.name,
          accountId: destination.accountId,
          region: destination.region,
          role: access.role,
          table: table.table,
          bucket: bucket.bucket,
          externalId: destination.externalId,
          bulkObjects: destination.bulkObjects,
          assumePolicyId: ids.assumePolicy,
          assumePolicyName: ids.assumePolicyName,
        };
      }),
      sourceRegion: source.region,
      bucketPrefix: names.bucketPrefix,
      sessionDurationSeconds: config.writerSessionDurationSeconds,
      externalId: config.externalId,
      bundle: WRITER_BUNDLE,
      tracing: config.tracing,
    });

    const outputs: Record<string, { value: unknown; description: string }> = {
      "destinations": {
        value: Object.fromEntries(this.destinations.map(({ config: destination, table, bucket, access }) => [destination.name, {
          account_id: destination.accountId,
          region: destination.region,
          access: destination.access,
          role_arn: access.role.arn,
          table_name: table.table.name,
          bucket_name: bucket.bucket.bucket,
          bulk_objects: destination.bulkObjects,
        }])),
        description: "Each destination by name: account, region, access, role, table, bucket and how bulk events become objects",
      },
      "bucket-prefix": { value: names.bucketPrefix, description: "Key prefix the writer puts objects under" },
      "function-name": { value: this.writer.function.functionName, description: "Writer Lambda in the source account" },
      "function-arn": { value: this.writer.function.arn, description: "Writer Lambda ARN" },
      "source-role-arn": { value: this.writerRole.role.arn, description: "Writer's execution role in the source account" },
    };
    const single = this.destinations.find(({ config: destination }) => destination.name === DEFAULT_DESTINATION_NAME);
    if (single) {
      outputs["destination-role-arn"] = { value: single.access.role.arn, description: "Role the writer assumes in the destination account" };
      outputs["table-name"] = { value: single.table.table.name, description: "Destination DynamoDB table" };
      outputs["bucket-name"] = { value: single.bucket.bucket.bucket, description: "Destination S3 bucket" };
    }
    for (const [outputId, output] of Object.entries(outputs)) {
      new TerraformOutput(this, outputId, output);
    }
  }
}
