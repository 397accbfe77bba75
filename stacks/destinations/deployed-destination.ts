import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { type CrossAccountConfig, type DestinationConfig, keepsSingularForm } from "../config";
import type { PolicyStatement } from "../policy-document";
import { DestinationBucket } from "./destination-bucket";
import { DestinationTable } from "./destination-table";

/** What a principal may do with a destination's records: put them, read them back, or both. */
export type StoreAccess = "write" | "read" | "read-write";

/** A destination as the stack made it: its config, the provider of its account and region, its table and bucket. */
export interface DeployedDestination {
  readonly config: DestinationConfig;
  /** The aliased provider of the destination's account and region (shared by the destinations there). */
  readonly provider: AwsProvider;
  readonly table: DestinationTable;
  readonly bucket: DestinationBucket;
}

/**
 * The construct id prefix of a destination's resources. The destination of the singular config form keeps the ids
 * the stack has always given it, so moving to `destinations` replaces nothing.
 */
export function destinationIdPrefix(destination: Pick<DestinationConfig, "name">): string {
  return keepsSingularForm(destination) ? "destination" : `destination-${destination.name}`;
}

/** Makes every destination's table and bucket, each with the provider of its account and region. */
export function deployDestinations(
  scope: Construct,
  config: CrossAccountConfig,
  providerFor: (destination: DestinationConfig) => AwsProvider,
): DeployedDestination[] {
  return config.destinations.map((destination) => {
    const prefix = destinationIdPrefix(destination);
    const provider = providerFor(destination);
    const table = new DestinationTable(scope, `${prefix}-table`, {
      provider,
      tableName: destination.table,
      allowDataDeletion: config.allowDataDeletion,
    });
    const bucket = new DestinationBucket(scope, `${prefix}-bucket`, {
      provider,
      bucketName: destination.bucket,
      allowDataDeletion: config.allowDataDeletion,
      // moto 5.2.1 ignores the policy's Bool condition and would deny every put, so the emulator goes without it.
      denyInsecureTransport: config.emulator === undefined,
    });
    return { config: destination, provider, table, bucket };
  });
}

/**
 * The statements that grant `access` to a destination's table and to its bucket under `prefix`, for the identity
 * policy of a role in the destination's account: the stores say what each access means, so it is written once.
 */
export function accessStatements(
  stores: Pick<DeployedDestination, "table" | "bucket">,
  access: StoreAccess,
  prefix: string,
): PolicyStatement[] {
  const writes = access === "read" ? [] : [...stores.table.writeStatements(), ...stores.bucket.writeStatements(prefix)];
  const reads = access === "write" ? [] : [...stores.table.readStatements(), ...stores.bucket.readStatements(prefix)];
  return [...writes, ...reads];
}
