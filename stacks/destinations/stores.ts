import type { PolicyStatement } from "../policy-document";
import type { DestinationBucket } from "./destination-bucket";
import type { DestinationTable } from "./destination-table";

/** What a principal may do with a destination's records: put them, read them back, or both. */
export type StoreAccess = "write" | "read" | "read-write";

/** Access levels from the least to the most. */
export const STORE_ACCESS: readonly StoreAccess[] = ["read", "write", "read-write"];

/** Whether `access` asks for nothing that `offered` does not include. */
export function accessWithin(access: StoreAccess, offered: StoreAccess): boolean {
  return offered === "read-write" || access === offered;
}

/** A destination's table and bucket. */
export interface DeployedStores {
  readonly table: DestinationTable;
  readonly bucket: DestinationBucket;
}

/**
 * The statements that grant `access` to a destination's table and to its bucket under `prefix`, for the identity
 * policy of a role in the destination's account: the stores say what each access means, so it is written once.
 */
export function accessStatements(stores: DeployedStores, access: StoreAccess, prefix: string): PolicyStatement[] {
  const writes = access === "read" ? [] : [...stores.table.writeStatements(), ...stores.bucket.writeStatements(prefix)];
  const reads = access === "write" ? [] : [...stores.table.readStatements(), ...stores.bucket.readStatements(prefix)];
  return [...writes, ...reads];
}
