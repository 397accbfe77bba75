import * as v from "valibot";
import {
  ACCOUNT_ID,
  ENABLED_REGIONS,
  INVENTORY_DEFAULTS,
  MAX_CONCURRENCY,
  ORGANIZATIONAL_UNIT_ID,
  type RegionSelection,
} from "../../functions/inventory/environment";
import * as field from "./fields";
import type { ConfigRule } from "./rules";
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

/** Rate or cron expression of an EventBridge schedule rule. */
const SCHEDULE = /^(rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)|cron\((\S+ ){5}\S+\))$/;

/** A list of ids of one shape, each once. */
function uniqueIds(pattern: RegExp, allowed: string) {
  const message = (issue: { input: unknown }) => `must be an array of ${allowed}, ${field.got(issue.input)}`;
  return v.pipe(
    v.array(v.pipe(v.string(message), v.regex(pattern, message)), message),
    v.check(
      (ids) => new Set(ids).size === ids.length,
      (issue) =>
        `names ${JSON.stringify((issue.input as string[]).find((id, index, ids) => ids.indexOf(id) !== index))} twice; give each id once`,
    ),
  );
}

const regionsMessage = (issue: { input: unknown }) =>
  `must be "${ENABLED_REGIONS}" (every region enabled in each account) or a non-empty array of distinct regions such as ["us-east-1"], ${field.got(issue.input)}`;

const concurrencyMessage = (issue: { input: unknown }) =>
  `must be a whole number of account-region pairs scanned at once from 1 to ${MAX_CONCURRENCY}, ${field.got(issue.input)}`;

/** `inventory` in the config file: what to inventory, and from where the organization is reached. */
export const inventorySchema = field.strictObject({
  organizationalUnitIds: v.optional(
    uniqueIds(ORGANIZATIONAL_UNIT_ID, "OU ids (ou-xxxx-xxxxxxxx) or root ids (r-xxxx)"),
  ),
  accountIds: v.optional(uniqueIds(ACCOUNT_ID, "12-digit account ids")),
  regions: v.optional(
    v.union(
      [
        v.literal(ENABLED_REGIONS),
        v.pipe(
          v.array(field.region),
          v.minLength(1, regionsMessage),
          v.check((regions) => new Set(regions).size === regions.length, regionsMessage),
        ),
      ],
      regionsMessage,
    ),
  ),
  roleName: v.optional(field.roleName),
  concurrency: v.optional(
    v.pipe(
      v.number(concurrencyMessage),
      v.integer(concurrencyMessage),
      v.minValue(1, concurrencyMessage),
      v.maxValue(MAX_CONCURRENCY, concurrencyMessage),
    ),
  ),
  schedule: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        SCHEDULE,
        (issue) =>
          `must be an EventBridge schedule expression such as "rate(1 day)" or "cron(0 6 * * ? *)", ${field.got(issue.input)}`,
      ),
    ),
  ),
  organizationId: v.optional(field.organizationId),
  organization: v.optional(
    field.strictObject({
      accountId: field.accountId,
      region: field.region,
      profile: v.optional(field.profile),
      deployRoleArn: v.optional(field.roleArn("OrganizationAccountAccessRole")),
      delegatedAdministrator: v.optional(field.boolean),
    }),
  ),
});

export type InventoryFile = v.InferOutput<typeof inventorySchema>;

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
