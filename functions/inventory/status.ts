import type { InventoryRow } from "./listers/lister";

/**
 * What became of one account and region (and lister):
 * - `ok`: listed completely.
 * - `access-denied`: AWS refused; `phase` says where. AssumeRole refuses a role that does not exist exactly as one
 *   whose trust does not name the caller, so a missing role is `access-denied` in phase `assume-role`.
 * - `role-missing`: AssumeRole said the role does not exist (some emulators and partitions say so).
 * - `region-disabled`: the region does not know the account's credentials (an opt-in region not enabled).
 * - `throttled`: still throttled after the SDK's retries.
 * - `error`: anything else, with the message.
 * - `not-scanned`: the run's deadline came first (rows already reported stay; the list is incomplete).
 * - `skipped`: the account is not ACTIVE in Organizations.
 */
export const SCAN_STATUSES = [
  "ok",
  "access-denied",
  "role-missing",
  "region-disabled",
  "throttled",
  "error",
  "not-scanned",
  "skipped",
] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];
export type ScanPhase = "assume-role" | "describe-regions" | "list";

/** One per account, region and lister. `region` and `lister` are `*` when the account failed before its regions. */
export interface StatusRow extends InventoryRow {
  readonly type: "status";
  readonly status: ScanStatus;
  readonly lister: string;
  /** Resource rows reported for this target (all of them when `ok`, those before the failure otherwise). */
  readonly rows: number;
  readonly phase?: ScanPhase;
  readonly message?: string;
}

export type ScanRow = InventoryRow | StatusRow;

const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "SlowDown",
]);
const DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException"]);
const UNKNOWN_CREDENTIALS = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "AuthFailure",
  "OptInRequired",
]);

/** The status an error means in a phase, and the message to report. */
export function classify(error: unknown, phase: ScanPhase, role: string): { status: ScanStatus; message: string } {
  const { name = "Error", message = String(error) } = (error ?? {}) as Partial<Error>;
  const said = `${name}: ${message}`;
  if (THROTTLING.has(name)) return { status: "throttled", message: `still throttled after retries: ${said}` };
  if (phase === "assume-role") {
    if (/does not exist|cannot be found|NoSuchEntity/i.test(message))
      return { status: "role-missing", message: `${role}: ${said}` };
    if (DENIED.has(name)) {
      return {
        status: "access-denied",
        message: `cannot assume ${role}: it is missing or does not trust the caller. ${said}`,
      };
    }
    return { status: "error", message: `cannot assume ${role}: ${said}` };
  }
  if (DENIED.has(name)) return { status: "access-denied", message: `${role} may not do this: ${said}` };
  if (UNKNOWN_CREDENTIALS.has(name) && phase === "list") {
    return {
      status: "region-disabled",
      message: `the region does not accept the account's credentials (not enabled?): ${said}`,
    };
  }
  return { status: "error", message: said };
}
