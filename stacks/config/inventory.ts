import { INVENTORY_DEFAULTS, type RegionSelection } from "../../functions/inventory/environment";
import type { ConfigRule } from "./config-rule";
import type { InventoryFile } from "./inventory-schema";
import type { AccountConfig } from "./types";

/** Default names of what the inventory pattern makes in the source and organization accounts. */
export const INVENTORY_NAMES = {
  functionName: "cross-account-inventory",
  executionRole: "cross-account-inventory",
  organizationRole: "cross-account-inventory-organization-read",
  stackSet: "cross-account-inventory-role",
} as const;

/** The inventory's report bucket in the source account (S3 names are global: `npm run doctor` checks it is free). */
export const inventoryReportBucketName = (source: Pick<AccountConfig, "accountId" | "region">) =>
  `inventory-reports-${source.accountId}-${source.region}`;

/** The management account, or a delegated administrator, that holds the StackSet and lists the accounts. */
export interface OrganizationAccountConfig extends AccountConfig {
  /** The account is a delegated administrator of StackSets, not the management account. @default false */
  readonly delegatedAdministrator: boolean;
}

/** The inventory pattern (guide 003): which accounts and regions to list, and where the read-only role comes from. */
export interface InventoryConfig {
  /** OUs (or the root) whose ACTIVE accounts are listed, and that the StackSet fans the role out to. */
  readonly organizationalUnitIds: readonly string[];
  /** Accounts listed as given; the role must exist there (the StackSet reaches OU members only). */
  readonly accountIds: readonly string[];
  /** @default "enabled" (ec2:DescribeRegions in each account) */
  readonly regions: RegionSelection;
  /** The read-only role in every target account. @default "CrossAccountListFunctionsRole" */
  readonly roleName: string;
  /** Account-region pairs scanned at once, 1-64. @default 8 */
  readonly concurrency: number;
  /** EventBridge rate or cron expression. @default - none: run on demand */
  readonly schedule?: string;
  /** The organization, for aws:ResourceOrgID. Required with OUs: from `inventory.organizationId` or `organizationId`. */
  readonly organizationId?: string;
  /** Required with OUs. */
  readonly organization?: OrganizationAccountConfig;
}

/** The inventory's config with defaults; the config-wide `organizationId` stands in for its own. */
export function inventoryOf(file: InventoryFile, organizationId: string | undefined): InventoryConfig {
  const id = file.organizationId ?? organizationId;
  return {
    organizationalUnitIds: file.organizationalUnitIds ?? [],
    accountIds: file.accountIds ?? [],
    regions: file.regions ?? INVENTORY_DEFAULTS.regions,
    roleName: file.roleName ?? INVENTORY_DEFAULTS.roleName,
    concurrency: file.concurrency ?? INVENTORY_DEFAULTS.concurrency,
    ...(file.schedule ? { schedule: file.schedule } : {}),
    ...(id ? { organizationId: id } : {}),
    ...(file.organization
      ? {
          organization: {
            ...file.organization,
            delegatedAdministrator: file.organization.delegatedAdministrator ?? false,
          },
        }
      : {}),
  };
}

/** Cross-field checks of `inventory`. */
export const INVENTORY_RULES: readonly ConfigRule[] = [
  {
    name: "inventory-has-targets",
    check: ({ inventory }) =>
      inventory && (inventory.organizationalUnitIds ?? []).length + (inventory.accountIds ?? []).length === 0
        ? [
            `inventory names no target: give organizationalUnitIds (ou-xxxx-xxxxxxxx or r-xxxx), accountIds (12 digits), or both, got ${JSON.stringify(inventory)}`,
          ]
        : [],
  },
  {
    name: "inventory-organization-for-units",
    check: ({ inventory, organizationId }) => {
      if (!inventory || (inventory.organizationalUnitIds ?? []).length === 0) return [];
      const units = JSON.stringify(inventory.organizationalUnitIds);
      return [
        ...(inventory.organization
          ? []
          : [
              `inventory.organization is required with organizationalUnitIds ${units}: the management account or delegated administrator that holds the StackSet ({ accountId, region })`,
            ]),
        ...((inventory.organizationId ?? organizationId)
          ? []
          : [
              `inventory.organizationId (or organizationId) is required with organizationalUnitIds ${units}: the inventory may assume its role only in accounts of that organization (aws:ResourceOrgID)`,
            ]),
      ];
    },
  },
];
