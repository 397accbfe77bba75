/** What one doctor check found: ok, a problem (with the command that fixes it), or skipped (with why). */
export type CheckStatus = "ok" | "problem" | "skipped";

/** The groups of checks, in the order the table shows them. */
export const CHECK_GROUPS = [
  "tools",
  "working folder",
  "accounts",
  "regions",
  "organization",
  "state",
  "names",
  "principals",
] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

/** One row of the doctor's table. */
export interface CheckResult {
  readonly group: CheckGroup;
  /** What was checked, e.g. "account 111111111111 (source)". */
  readonly subject: string;
  readonly status: CheckStatus;
  /** What was found; for a problem, what is wrong with the values involved. */
  readonly detail: string;
  /** For a problem: the exact command (or the one edit) that fixes it. */
  readonly fix?: string;
}

export const ok = (group: CheckGroup, subject: string, detail: string): CheckResult => ({
  group,
  subject,
  status: "ok",
  detail,
});

export const problem = (group: CheckGroup, subject: string, detail: string, fix: string): CheckResult => ({
  group,
  subject,
  status: "problem",
  detail,
  fix,
});

export const skipped = (group: CheckGroup, subject: string, detail: string): CheckResult => ({
  group,
  subject,
  status: "skipped",
  detail,
});
