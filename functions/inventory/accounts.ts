import {
  type OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from "@aws-sdk/client-organizations";
import type { InventoryTargets } from "./environment";

/** An account to scan. */
export interface TargetAccount {
  readonly accountId: string;
  /** The account's name in the organization; absent for an explicit account id not found through an OU. */
  readonly name?: string;
  /** The OU the account was found in, or `explicit` for an account id given as such. */
  readonly source: string;
}

/** A member account of a target OU that is not scanned, and why. */
export interface SkippedAccount {
  readonly accountId: string;
  readonly name?: string;
  readonly source: string;
  /** The account's state in Organizations, e.g. SUSPENDED. */
  readonly state: string;
  readonly reason: string;
}

export interface TargetAccounts {
  /** In the order found: OU by OU (depth first), then explicit ids; each account once. */
  readonly accounts: readonly TargetAccount[];
  readonly skipped: readonly SkippedAccount[];
}

/** An OU that is not in the organization, or that the organization role may not list. */
export class OrganizationalUnitError extends Error {
  override readonly name = "OrganizationalUnitError";
}

const PAGE_SIZE = 20;

async function childUnits(organizations: OrganizationsClient, parentId: string): Promise<string[]> {
  const ids: string[] = [];
  const pages = paginateListOrganizationalUnitsForParent(
    { client: organizations, pageSize: PAGE_SIZE },
    { ParentId: parentId },
  );
  for await (const page of pages)
    ids.push(...(page.OrganizationalUnits ?? []).flatMap((unit) => (unit.Id ? [unit.Id] : [])));
  return ids;
}

async function visit(
  organizations: OrganizationsClient,
  unitId: string,
  found: Map<string, TargetAccount>,
  skipped: Map<string, SkippedAccount>,
): Promise<void> {
  const pages = paginateListAccountsForParent({ client: organizations, pageSize: PAGE_SIZE }, { ParentId: unitId });
  for await (const page of pages) {
    for (const account of page.Accounts ?? []) {
      if (!account.Id || found.has(account.Id) || skipped.has(account.Id)) continue;
      // `State` replaces the deprecated `Status`; older endpoints and emulators send only `Status`.
      const state = account.State ?? account.Status ?? "UNKNOWN";
      const name = account.Name;
      if (state === "ACTIVE") {
        found.set(account.Id, { accountId: account.Id, ...(name ? { name } : {}), source: unitId });
      } else {
        const reason = `account is ${state} in Organizations; only ACTIVE accounts are scanned`;
        skipped.set(account.Id, { accountId: account.Id, ...(name ? { name } : {}), source: unitId, state, reason });
      }
    }
  }
  for (const child of await childUnits(organizations, unitId)) await visit(organizations, child, found, skipped);
}

/**
 * The accounts to scan: the ACTIVE member accounts of each OU and its child OUs (recursively), listed from
 * Organizations now, then the explicit account ids (scanned as given: their state is not looked up). Accounts
 * of other states are returned as skipped with the reason. `organizations` may be absent only without OUs.
 */
export async function listTargetAccounts(
  organizations: OrganizationsClient | undefined,
  targets: InventoryTargets,
): Promise<TargetAccounts> {
  const found = new Map<string, TargetAccount>();
  const skipped = new Map<string, SkippedAccount>();
  if (targets.organizationalUnitIds.length > 0 && !organizations) {
    throw new OrganizationalUnitError(
      `listing ${targets.organizationalUnitIds.join(", ")} needs an Organizations client`,
    );
  }
  for (const unitId of targets.organizationalUnitIds) {
    try {
      await visit(organizations as OrganizationsClient, unitId, found, skipped);
    } catch (error) {
      const { name, message } = error as Error;
      if (name === "ParentNotFoundException" || name === "OrganizationalUnitNotFoundException") {
        throw new OrganizationalUnitError(
          `organizational unit ${JSON.stringify(unitId)} is not in the organization: ${name}: ${message}`,
        );
      }
      if (name === "AccessDeniedException" || name === "AWSOrganizationsNotInUseException") {
        throw new OrganizationalUnitError(`cannot list the accounts of ${JSON.stringify(unitId)}: ${name}: ${message}`);
      }
      throw error;
    }
  }
  for (const accountId of targets.accountIds) {
    if (!found.has(accountId) && !skipped.has(accountId)) found.set(accountId, { accountId, source: "explicit" });
  }
  return { accounts: [...found.values()], skipped: [...skipped.values()] };
}
