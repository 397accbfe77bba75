import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { synthesizedIn, writeAccessDiff } from "../access-map/sources";
import type { Terraform } from "./terraform";

/** One account's share of a plan. */
export interface AccountChanges {
  readonly provider: string;
  readonly accountId: string;
  readonly create: string[];
  readonly update: string[];
  readonly replace: string[];
  readonly destroy: string[];
}

export interface SavedPlan {
  readonly planFile: string;
  readonly jsonFile: string;
  readonly summaryFile: string;
  readonly summary: string;
  readonly accounts: AccountChanges[];
  /** access-diff.md: every access the plan adds or removes, as sentences (empty: no change in access). */
  readonly accessDiffFile: string;
  readonly accessDiff: string[];
}

interface PlanJson {
  resource_changes?: Array<{ address: string; change: { actions: string[] } }>;
  configuration?: {
    provider_config?: Record<string, { expressions?: { allowed_account_ids?: { constant_value?: string[] } } }>;
    root_module?: { resources?: Array<{ address: string; provider_config_key?: string }> };
  };
}

/** Groups a plan's changes by the provider (so, the account) of each resource. */
export function changesByAccount(plan: PlanJson): AccountChanges[] {
  const providerOf = new Map(
    (plan.configuration?.root_module?.resources ?? []).map((resource) => [
      resource.address,
      resource.provider_config_key ?? "aws",
    ]),
  );
  const accounts = new Map<string, AccountChanges>();
  for (const change of plan.resource_changes ?? []) {
    const provider = providerOf.get(change.address) ?? "aws";
    const accountId =
      plan.configuration?.provider_config?.[provider]?.expressions?.allowed_account_ids?.constant_value?.[0] ??
      "unknown";
    const entry = accounts.get(provider) ?? { provider, accountId, create: [], update: [], replace: [], destroy: [] };
    accounts.set(provider, entry);
    const actions = change.change.actions.join(",");
    if (actions === "create") entry.create.push(change.address);
    else if (actions === "update") entry.update.push(change.address);
    else if (actions === "delete") entry.destroy.push(change.address);
    else if (actions.includes("create") && actions.includes("delete")) entry.replace.push(change.address);
  }
  return [...accounts.values()].sort((a, b) => a.provider.localeCompare(b.provider));
}

function describe(accounts: AccountChanges[], planFile: string): string {
  const lines = [`Saved plan: ${planFile}`];
  for (const account of accounts) {
    lines.push(
      "",
      `${account.provider} (account ${account.accountId}): ${account.create.length} to create, ${account.update.length} to change, ${account.replace.length} to replace, ${account.destroy.length} to destroy`,
    );
    for (const [sign, addresses] of [
      ["+", account.create],
      ["~", account.update],
      ["-/+", account.replace],
      ["-", account.destroy],
    ] as const) {
      for (const address of addresses) lines.push(`  ${sign} ${address}`);
    }
  }
  if (
    accounts.every(
      (account) =>
        account.create.length + account.update.length + account.replace.length + account.destroy.length === 0,
    )
  ) {
    lines.push("", "No changes.");
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Plans the synthesized stack into a file, with its JSON (`terraform show -json`) and a short summary per account
 * beside it, and the access it adds or removes (access-diff.md), so a reviewer or a CI job can approve exactly what
 * will be applied.
 */
export async function savePlan(terraform: Terraform, outDirectory: string, name = "cross-account"): Promise<SavedPlan> {
  mkdirSync(outDirectory, { recursive: true });
  const planFile = path.resolve(outDirectory, `${name}.tfplan`);
  const jsonFile = path.resolve(outDirectory, `${name}.plan.json`);
  const summaryFile = path.resolve(outDirectory, `${name}.plan.txt`);
  await terraform.init();
  await terraform.run(["plan", "-input=false", "-no-color", `-out=${planFile}`]);
  const json = (await terraform.run(["show", "-json", planFile])).stdout;
  writeFileSync(jsonFile, json);
  const accounts = changesByAccount(JSON.parse(json) as PlanJson);
  const summary = describe(accounts, planFile);
  writeFileSync(summaryFile, summary);
  // Who can reach what, before and after: evaluated from the state's and the plan's policies (docs/access-map.md).
  const access = await writeAccessDiff(JSON.parse(json), synthesizedIn(terraform.directory), outDirectory, planFile);
  return { planFile, jsonFile, summaryFile, summary, accounts, accessDiffFile: access.file, accessDiff: access.lines };
}

/**
 * Applies a saved plan and nothing else; Terraform refuses it if the state changed since it was made. Initializes
 * first, so it also works in a fresh checkout (a CI job that only downloaded the plan and synthesized again).
 */
export async function applySavedPlan(terraform: Terraform, planFile: string) {
  await terraform.init();
  return terraform.run(["apply", "-input=false", "-no-color", planFile]);
}
