// The bottom of the vend room: what a caller may ask for and what a destination is, used by the contract
// (environment.ts) and the session policy alike.

/** What a caller may do with a destination's table and its prefix of the bucket. */
export const VEND_ACCESS = ["read", "write", "read-write"] as const;
export type VendAccess = (typeof VEND_ACCESS)[number];

/** One destination as the vend Lambda sees it: the role to assume there and the stores its sessions may use. */
export interface VendDestinationSettings {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** The destination's vending role; it must trust the vend function's execution role only. */
  readonly roleArn: string;
  readonly tableName: string;
  /** @default - built from region, accountId and tableName in the partition of roleArn */
  readonly tableArn?: string;
  readonly bucketName: string;
  /** Objects live under `<bucketPrefix>/`, a caller's under `<bucketPrefix>/<caller prefix>/`. No slash at the ends. */
  readonly bucketPrefix: string;
}
