import type { TargetAccounts } from "./accounts";
import { ENABLED_REGIONS, type RegionSelection } from "./environment";

/**
 * What one invocation may narrow a run to: one of the configured target accounts and, optionally, one region. It
 * never widens a run: an account that is not a target, or a region outside the configured list, is refused.
 */
export interface InventoryNarrowing {
  readonly accountId: string;
  readonly region?: string;
}

/** An invocation event that asks for what the configuration does not allow, named with what it allows. */
export class InventoryEventError extends Error {
  override readonly name = "InventoryEventError";
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * The narrowing an invocation event asks for: `{"only": {"accountId": "...", "region": "..."}}`, or none for any other
 * event (a schedule's, an empty one): the whole configured run.
 */
export function narrowingOf(event: unknown): InventoryNarrowing | undefined {
  const only = (event as { only?: unknown } | null | undefined)?.only;
  if (only === undefined) return undefined;
  const { accountId, region, ...rest } = (only ?? {}) as Record<string, unknown>;
  if (typeof only !== "object" || only === null || Array.isArray(only))
    throw new InventoryEventError(`only must be an object { accountId, region? }, got ${JSON.stringify(only)}`);
  if (typeof accountId !== "string" || !ACCOUNT_ID.test(accountId))
    throw new InventoryEventError(`only.accountId must be a 12-digit account id, got ${JSON.stringify(accountId)}`);
  if (region !== undefined && (typeof region !== "string" || !REGION.test(region)))
    throw new InventoryEventError(`only.region must be a region such as "us-east-1", got ${JSON.stringify(region)}`);
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new InventoryEventError(`only has unknown field(s) ${unknown.join(", ")}; allowed: accountId, region`);
  return region === undefined ? { accountId } : { accountId, region };
}

/** The targets narrowed to the one account; refused when the account is not among them. */
export function narrowTargets(targets: TargetAccounts, narrowing: InventoryNarrowing): TargetAccounts {
  const accounts = targets.accounts.filter((account) => account.accountId === narrowing.accountId);
  if (accounts.length === 0) {
    const allowed = targets.accounts.map((account) => account.accountId);
    throw new InventoryEventError(
      `only.accountId ${narrowing.accountId} is not a target of this inventory; its targets are ` +
        `${allowed.length > 0 ? allowed.join(", ") : "none"}`,
    );
  }
  return { accounts, skipped: [] };
}

/** The regions narrowed to the one region; refused when the configured list does not hold it. */
export function narrowRegions(regions: RegionSelection, narrowing: InventoryNarrowing): RegionSelection {
  if (narrowing.region === undefined) return regions;
  if (regions !== ENABLED_REGIONS && !regions.includes(narrowing.region))
    throw new InventoryEventError(
      `only.region ${narrowing.region} is not a region of this inventory; its regions are ${regions.join(", ")}`,
    );
  return [narrowing.region];
}
