import type { AwsCredentialIdentityProvider } from "@smithy/types";

/** Every row of the inventory names its kind, account and region. */
export interface InventoryRow {
  /** The lister's name for its rows (e.g. `lambda-function`), or `status`. */
  readonly type: string;
  readonly account: string;
  readonly region: string;
}

/** What a client of one account and region is built from: that account's role credentials and the retry policy. */
export interface TargetClientConfig {
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
  readonly retryMode: "adaptive" | "standard";
  readonly maxAttempts: number;
  /** A local emulator's URL. @default - AWS */
  readonly endpoint?: string;
}

/** One account and region to list, with the configuration of clients that act there. */
export interface ListerTarget {
  readonly account: string;
  readonly region: string;
  readonly clientConfig: TargetClientConfig;
}

/**
 * Lists one kind of resource in one account and region, page after page. Another service is one more module
 * implementing this; the scan tags nothing itself, so a lister sets `account` and `region` on every row.
 */
export interface Lister<R extends InventoryRow = InventoryRow> {
  /** The `type` of its rows; also names the lister in status rows. */
  readonly name: string;
  list(target: ListerTarget): AsyncIterable<R>;
}
