import { type AccessMap, type AccessRow, ASSUME, DIRECTLY } from "./access-map";
import { findingsGrown } from "./findings";
import { outsideGrown } from "./outside";
import { toMermaid } from "./picture";

const cell = (text: string) => text.replaceAll("|", "\\|");

/** access.md: the table of who may do what, the assumptions made, and the picture as Mermaid. */
export function toMarkdown(map: AccessMap, source: string): string {
  const lines = [
    "# Access map",
    "",
    `Source: ${source}. Every principal the stack knows, evaluated against every role and resource of the stack (and`,
    "the roles its StackSets make) with the IAM policy evaluator the tests use (@cloud-copilot/iam-simulate). A row",
    "is an access the evaluator allows; any other access to those roles and resources is denied. What the stack's",
    "policies allow on resources it does not hold is listed after the table, as written.",
    "",
    "| principal | via | actions | resource | conditions |",
    "|---|---|---|---|---|",
    ...map.rows.map(
      (row) =>
        `| ${cell(row.principal)} | ${cell(row.via)} | ${row.actions.join(", ")} | ${cell(row.resource)} | ${row.conditions.join(", ") || "-"} |`,
    ),
    "",
    "## Grants on resources outside the stack",
    "",
    ...(map.outside?.length
      ? map.outside.map(
          (grant) =>
            `- ${grant.principal}: ${grant.actions.join(", ")} on ${grant.resources.join(", ")}` +
            (grant.conditions.length > 0 ? ` when ${grant.conditions.join(", ")}` : ""),
        )
      : ["None."]),
    "",
    "## Findings",
    "",
    ...(map.findings?.length
      ? map.findings.map(
          (finding) =>
            `- **${finding.kind}**: ${finding.principal}${finding.via === DIRECTLY ? "" : ` through ${finding.via}`} ${finding.detail}`,
        )
      : ["None."]),
    "",
    "## Principals and assumptions",
    "",
    ...map.principals.map(
      (principal) => `- ${principal.arn} (${principal.kind})${principal.assumption ? `: ${principal.assumption}` : ""}`,
    ),
    "",
    "## Picture",
    "",
    "```mermaid",
    toMermaid(map).trimEnd(),
    "```",
    "",
  ];
  return lines.join("\n");
}

/** One access in its smallest form: a principal may take one action on one resource, directly or through a role. */
interface Grant {
  readonly row: AccessRow;
  readonly action: string;
}

const grantsOf = (map: Pick<AccessMap, "rows">): Grant[] =>
  map.rows.flatMap((row) => row.actions.map((action) => ({ row, action })));
const keyOf = ({ row, action }: Grant) => [row.principal, row.via, row.resource, action].join("\u0000");

/**
 * Grants of `after` that `before` does not cover: no grant of the same principal, route, resource and action, or
 * one that needed conditions the new grant no longer needs (a loosened trust is growth too).
 */
function added(before: Pick<AccessMap, "rows">, after: Pick<AccessMap, "rows">): Grant[] {
  const known = new Map<string, Grant[]>();
  for (const grant of grantsOf(before)) known.set(keyOf(grant), [...(known.get(keyOf(grant)) ?? []), grant]);
  return grantsOf(after).filter(
    (grant) =>
      !(known.get(keyOf(grant)) ?? []).some((old) =>
        old.row.conditions.every((condition) => grant.row.conditions.includes(condition)),
      ),
  );
}

const conditionsText = (conditions: readonly string[]) => (conditions.length > 0 ? ` (${conditions.join(", ")})` : "");

/** Sentences, one per principal and role it assumes (with what it can then do) and per resource it reaches directly. */
function sentences(sign: "NEW" | "REMOVED", grants: readonly Grant[]): string[] {
  const byRoute = new Map<string, Grant[]>();
  for (const grant of grants) {
    const route = grant.row.via === DIRECTLY ? grant.row.resource : grant.row.via;
    const assumed = grant.row.via === DIRECTLY && grant.action === ASSUME;
    const key = `${grant.row.principal}\u0000${assumed || grant.row.via !== DIRECTLY ? `via ${route}` : route}`;
    byRoute.set(key, [...(byRoute.get(key) ?? []), grant]);
  }
  const lines: string[] = [];
  for (const group of byRoute.values()) {
    const [{ row }] = group;
    const assume = group.find((grant) => grant.action === ASSUME && grant.row.via === DIRECTLY);
    const through = group.filter((grant) => grant !== assume);
    const onResources = [...new Set(through.map((grant) => grant.row.resource))].map(
      (resource) =>
        `${through
          .filter((grant) => grant.row.resource === resource)
          .map((grant) => grant.action)
          .join(", ")} on ${resource}`,
    );
    if (assume) {
      const then = onResources.length > 0 ? `, and through it ${onResources.join("; ")}` : "";
      lines.push(
        `${sign}: ${row.principal} may assume ${assume.row.resource}${conditionsText(assume.row.conditions)}${then}`,
      );
    } else if (row.via !== DIRECTLY) {
      const conditions = [...new Set(through.flatMap((grant) => grant.row.conditions))].sort();
      lines.push(
        `${sign}: ${row.principal} may, through ${row.via}, ${onResources.join("; ")}${conditionsText(conditions)}`,
      );
    } else {
      lines.push(`${sign}: ${row.principal} may ${onResources.join("; ")}${conditionsText(row.conditions)}`);
    }
  }
  return lines.sort();
}

type Compared = Pick<AccessMap, "rows" | "outside" | "findings">;

/**
 * What a change does to access: the sentences of every access it adds and every one it removes, on the stack's
 * resources and outside them.
 */
export function accessDiff(before: Compared, after: Compared): string[] {
  const { grown, shrunk } = checkAgainst(before, after);
  return [...grown, ...shrunk];
}

/** plan/access-diff.md. */
export function diffMarkdown(lines: readonly string[], planFile: string, counts: [number, number]): string {
  return [
    "# Access diff",
    "",
    `Plan: ${planFile}. The policies of the current state (${counts[0]} accesses) against the planned ones (${counts[1]}),`,
    "both evaluated with the IAM policy evaluator the tests use. Details: docs/access-map.md.",
    "",
    ...(lines.length > 0 ? lines.map((line) => `- ${line}`) : ["No change in access."]),
    "",
  ].join("\n");
}

/** `--check`: the accesses of `current` a committed baseline lacks (growth), and those it had that are gone. */
export function checkAgainst(baseline: Compared, current: Compared) {
  return {
    grown: [
      ...sentences("NEW", added(baseline, current)),
      ...outsideGrown("NEW", baseline.outside, current.outside),
      ...findingsGrown("NEW", baseline.findings, current.findings),
    ],
    shrunk: [
      ...sentences("REMOVED", added(current, baseline)),
      ...outsideGrown("REMOVED", current.outside, baseline.outside),
      ...findingsGrown("REMOVED", current.findings, baseline.findings),
    ],
  };
}
