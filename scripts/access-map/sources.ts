import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { readJson, type Synthesized, synthesizedIn } from "./files";

export { readJson, synthesizedIn };

import { type AccessMap, accessMap } from "./access-map";
import { inventoryOf } from "./inventory";
import { toSvg } from "./picture";
import { accessDiff, diffMarkdown, toMarkdown } from "./report";
import { type PlanJson, plannedInstances, priorStateInstances, synthesizedInstances } from "./terraform-values";

/** The access map of a synthesized stack. */
export async function mapOfSynthesized(synthesized: Synthesized): Promise<AccessMap> {
  return accessMap(inventoryOf(synthesizedInstances(synthesized)));
}

/** Checks a parsed `terraform show -json <plan>` is one, naming the file otherwise. */
export function asPlan(json: unknown, file: string): PlanJson {
  const plan = json as PlanJson & { format_version?: unknown };
  if (typeof plan !== "object" || plan === null || !Array.isArray(plan.resource_changes) || !plan.format_version)
    throw new Error(
      `${file} is not a plan's JSON (terraform show -json <plan>): it has no format_version and resource_changes`,
    );
  return plan;
}

/**
 * The access maps before and after a plan: `prior_state` and the planned values. What Terraform learns only at apply
 * comes from the synthesized stack, when given.
 */
export async function mapsOfPlan(plan: PlanJson, synthesized?: Synthesized) {
  const before = await accessMap(inventoryOf(priorStateInstances(plan)));
  const after = await accessMap(inventoryOf(plannedInstances(plan, synthesized?.resource)));
  return { before, after };
}

/** Writes access.md, access.json and access.svg into a directory. Returns their paths. */
export async function writeAccessMap(map: AccessMap, outDirectory: string, source: string): Promise<string[]> {
  const svg = await toSvg(map);
  mkdirSync(outDirectory, { recursive: true });
  const files: Array<[string, string]> = [
    ["access.md", toMarkdown(map, source)],
    ["access.json", `${JSON.stringify(map, null, 2)}\n`],
    ["access.svg", svg],
  ];
  for (const [name, text] of files) writeFileSync(path.join(outDirectory, name), text);
  return files.map(([name]) => path.join(outDirectory, name));
}

/** Writes `<outDirectory>/access-diff.md` for a saved plan. Returns the file and its sentences. */
export async function writeAccessDiff(
  plan: PlanJson,
  synthesized: Synthesized | undefined,
  outDirectory: string,
  planFile: string,
): Promise<{ file: string; lines: string[] }> {
  const { before, after } = await mapsOfPlan(plan, synthesized);
  const lines = accessDiff(before, after);
  const file = path.join(outDirectory, "access-diff.md");
  writeFileSync(file, diffMarkdown(lines, path.basename(planFile), [before.rows.length, after.rows.length]));
  return { file, lines };
}
