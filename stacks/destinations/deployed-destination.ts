import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { type CrossAccountConfig, type DestinationConfig, keepsSingularForm } from "../config";
import { DestinationBucket } from "./destination-bucket";
import { DestinationRoles } from "./destination-roles";
import { DestinationTable } from "./destination-table";

/**
 * A destination as the stack made it: its config, the provider of its account and region, its table and bucket, and
 * its roles, which patterns ask for by access.
 */
export interface DeployedDestination {
  readonly config: DestinationConfig;
  /** The aliased provider of the destination's account and region (shared by the destinations there). */
  readonly provider: AwsProvider;
  readonly table: DestinationTable;
  readonly bucket: DestinationBucket;
  readonly roles: DestinationRoles;
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
      encryption: destination.tableEncryption,
    });
    const bucket = new DestinationBucket(scope, `${prefix}-bucket`, {
      provider,
      bucketName: destination.bucket,
      allowDataDeletion: config.allowDataDeletion,
      // moto 5.2.1 ignores the policy's Bool condition and would deny every put, so the emulator goes without it.
      denyInsecureTransport: config.emulator === undefined,
    });
    const roles = new DestinationRoles(scope, prefix, destination, provider, { table, bucket }, config);
    return { config: destination, provider, table, bucket, roles };
  });
}
