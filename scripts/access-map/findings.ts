import type { IamInventory } from "./inventory";

/** The parts of an access map row the findings read (access-map.ts's AccessRow). */
interface Row {
  readonly principal: string;
  readonly via: string;
  readonly resource: string;
  readonly actions: readonly string[];
  readonly conditions: readonly string[];
}

/** An access the map names because it defeats a control the stack relies on. */
export interface Finding {
  readonly kind: "direct-invoke";
  readonly principal: string;
  /** The role whose session acts, or "directly". */
  readonly via: string;
  readonly resource: string;
  /** What the access allows, in a sentence. */
  readonly detail: string;
}

const INVOKE = "lambda:InvokeFunction";
/** The row condition conditions.ts writes for `lambda:InvokedViaFunctionUrl = true`. */
export const THROUGH_THE_URL = "through the function URL";

/**
 * Who may invoke a function behind an IAM-auth function URL directly (lambda:InvokeFunction without
 * InvokedViaFunctionUrl): such a caller makes up the event's requestContext, so the function's idea of who signed
 * the request is whatever it says (for the vend function: any caller's credentials).
 */
export function directInvokeFindings(inventory: IamInventory, rows: readonly Row[]): Finding[] {
  const guarded = new Set(
    inventory.resources
      .filter((resource) => resource.kind === "function" && resource.urlAuthType === "AWS_IAM")
      .map((resource) => resource.arn),
  );
  return rows
    .filter(
      (row) => guarded.has(row.resource) && row.actions.includes(INVOKE) && !row.conditions.includes(THROUGH_THE_URL),
    )
    .map((row) => ({
      kind: "direct-invoke" as const,
      principal: row.principal,
      via: row.via,
      resource: row.resource,
      detail:
        `may invoke ${row.resource} directly, not through its IAM-auth function URL, and so send a made-up ` +
        "requestContext (its signed caller): deploy the vend-direct-invoke-guard (docs/vending.md)",
    }));
}

const keyOf = (finding: Finding) => [finding.kind, finding.principal, finding.via, finding.resource].join("\u0000");

/** Findings of `after` that `before` lacks, as sentences: growth for `--check` and the access diff. */
export function findingsGrown(
  sign: "NEW" | "REMOVED",
  before: readonly Finding[] | undefined,
  after: readonly Finding[] | undefined,
): string[] {
  const known = new Set((before ?? []).map(keyOf));
  return (after ?? [])
    .filter((finding) => !known.has(keyOf(finding)))
    .map(
      (finding) =>
        `${sign} FINDING (${finding.kind}): ${finding.principal}${finding.via === "directly" ? "" : ` through ${finding.via}`} ${finding.detail}`,
    )
    .sort();
}
