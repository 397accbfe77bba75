/** The patterns verify checks, in the order it checks them. */
export const VERIFY_PATTERNS = [
  "writer",
  "source-principals",
  "vending",
  "inventory",
  "organization-writer",
  "access",
] as const;
export type VerifyPattern = (typeof VERIFY_PATTERNS)[number];

/** How one check ended: `ok`, `failed` (the detail says what), or `skipped` (the detail says why). */
export type CheckStatus = "ok" | "failed" | "skipped";

/** One check's result: the pattern, what was checked, how it ended and the evidence or the reason. */
export interface CheckOutcome {
  readonly pattern: VerifyPattern;
  /** What was checked, e.g. `destination: probe read back from the table`. */
  readonly check: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

/** A check's result before it is tagged with its pattern. */
export type CheckResult = Omit<CheckOutcome, "pattern">;

export const ok = (check: string, detail: string): CheckResult => ({ check, status: "ok", detail });
export const failed = (check: string, detail: string): CheckResult => ({ check, status: "failed", detail });
export const skipped = (check: string, detail: string): CheckResult => ({ check, status: "skipped", detail });

/** Called with each result as its check ends, so the lines come as the checks run. */
export type Emit = (result: CheckResult) => void;

/** Emits a result and returns it. */
export function emitted(emit: Emit | undefined, result: CheckResult): CheckResult {
  emit?.(result);
  return result;
}

/** The message of anything thrown, with the AWS error name when there is one. */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== "Error" && !error.message.startsWith(error.name)
    ? `${error.name}: ${error.message}`
    : error.message;
}

/** Runs a step that yields a check result; anything it throws becomes a failure of that check. */
export async function attempt(check: string, step: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await step();
  } catch (error) {
    return failed(check, messageOf(error));
  }
}
