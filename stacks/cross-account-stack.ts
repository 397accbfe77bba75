import * as path from "node:path";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { CrossAccountConfig } from "./config";
import { DestinationAccessRole } from "./constructs/destination-access-role";
import { DestinationBucket } from "./constructs/destination-bucket";
import { DestinationTable } from "./constructs/destination-table";
import { WriterFunction } from "./constructs/writer-function";
import { WriterRole } from "./constructs/writer-role";
import { accountProvider, stateBackend } from "./providers";

/** Name of the stack, and of its folder in cdktf.out/stacks/. */
export const STACK_NAME = "cross-account";

/** The writer Lambda's TypeScript entry point. */
export const WRITER_ENTRY = path.resolve(__dirname, "..", "functions", "writer", "handler.ts");
/** Lambda provides credentials in the environment only: the writer's bundle carries no other credential provider. */
export const WRITER_CREDENTIAL_CHAIN = path.resolve(__dirname, "..", "functions", "writer", "lambda-credential-chain.ts");

export interface CrossAccountStackProps {
  readonly config: CrossAccountConfig;
}

/**
 * Both accounts in one stack: a provider per account, so every cross-account ARN is a Terraform reference that
 * resolves in a single plan.
 */
export class CrossAccountStack extends TerraformStack {
  public readonly writerRole: WriterRole;
  public readonly writer: WriterFunction;
  public readonly destinationRole: DestinationAccessRole;
  public readonly table: DestinationTable;
  public readonly bucket: DestinationBucket;

  constructor(scope: Construct, id: string, props: CrossAccountStackProps) {
    super(scope, id);
    const { config } = props;
    const { source, destination, names } = config;

    if (config.stateBackend) stateBackend(this, config.stateBackend, config.emulator);
    const sourceProvider = accountProvider(this, { alias: "source", account: source, emulator: config.emulator });
    const destinationProvider = accountProvider(this, { alias: "destination", account: destination, emulator: config.emulator });

    this.table = new DestinationTable(this, "destination-table", {
      provider: destinationProvider,
      tableName: names.table,
      allowDataDeletion: config.allowDataDeletion,
    });
    this.bucket = new DestinationBucket(this, "destination-bucket", {
      provider: destinationProvider,
      bucketName: names.bucket,
      allowDataDeletion: config.allowDataDeletion,
      // moto 5.2.1 ignores the policy's Bool condition and would deny every put, so the emulator goes without it.
      denyInsecureTransport: config.emulator === undefined,
    });

    this.writerRole = new WriterRole(this, "writer-role", {
      provider: sourceProvider,
      sourceAccountId: source.accountId,
      roleName: names.writerRole,
      functionName: names.writerFunction,
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
    });

    this.destinationRole = new DestinationAccessRole(this, "destination-access", {
      provider: destinationProvider,
      roleName: names.destinationRole,
      trustedRole: this.writerRole.role,
      sourceAccountId: source.accountId,
      table: this.table.table,
      bucket: this.bucket.bucket,
      bucketPrefix: names.bucketPrefix,
      trustMode: config.trustMode,
      externalId: config.externalId,
      organizationId: config.organizationId,
      maxSessionDurationSeconds: config.maxSessionDurationSeconds,
      trustedPrincipals: config.trustedPrincipals,
    });

    this.writer = new WriterFunction(this, "writer", {
      provider: sourceProvider,
      functionName: names.writerFunction,
      writerRole: this.writerRole,
      destinationRole: this.destinationRole.role,
      destinationAccountId: destination.accountId,
      destinationRegion: destination.region,
      sourceRegion: source.region,
      table: this.table.table,
      bucket: this.bucket.bucket,
      bucketPrefix: names.bucketPrefix,
      sessionDurationSeconds: config.writerSessionDurationSeconds,
      externalId: config.externalId,
      entry: WRITER_ENTRY,
      credentialChain: WRITER_CREDENTIAL_CHAIN,
      tracing: config.tracing,
    });

    const outputs: Record<string, { value: string; description: string }> = {
      "destination-role-arn": { value: this.destinationRole.role.arn, description: "Role the writer assumes in the destination account" },
      "table-name": { value: this.table.table.name, description: "Destination DynamoDB table" },
      "bucket-name": { value: this.bucket.bucket.bucket, description: "Destination S3 bucket" },
      "bucket-prefix": { value: names.bucketPrefix, description: "Key prefix the writer puts objects under" },
      "function-name": { value: this.writer.function.functionName, description: "Writer Lambda in the source account" },
      "function-arn": { value: this.writer.function.arn, description: "Writer Lambda ARN" },
      "source-role-arn": { value: this.writerRole.role.arn, description: "Writer's execution role in the source account" },
    };
    for (const [id, output] of Object.entries(outputs)) {
      new TerraformOutput(this, id, output);
    }
  }
}
