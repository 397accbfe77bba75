import {
  type CrossAccountConfig,
  DEFAULT_DESTINATION_NAME,
  inventoryReportBucketName,
  keepsSingularForm,
  type OrganizationAccountConfig,
  unitIdOf,
} from "../../stacks/config";
import type { WantedBucket } from "./bucket-names";
import type { OrganizationNeeds } from "./organization";
import type { AccountTarget } from "./reach";

/** What names an account in the config: a label and how the config reaches it. */
interface Named {
  readonly label: string;
  readonly accountId: string;
  readonly region: string;
  readonly profile?: string;
  readonly roleArn?: string;
}

/** An account reached one way, with every region the config uses there. */
export interface ReachedAccount extends AccountTarget {
  readonly regions: readonly string[];
}

/** The key of one way into one account: the same account through two paths is checked twice. */
export const targetKey = (target: Pick<AccountTarget, "accountId" | "profile" | "roleArn">) =>
  `${target.accountId}|${target.profile ?? ""}|${target.roleArn ?? ""}`;

/**
 * What the patterns that fan out to the organization (the inventory, the organization writer; they share its
 * account) need of it: its account, its id and every OU or root they target. Undefined when none targets OUs.
 */
export function organizationNeeds(
  config: CrossAccountConfig,
): (OrganizationNeeds & { readonly organization: OrganizationAccountConfig }) | undefined {
  const { inventory, organizationWriter } = config;
  const organization = inventory?.organization ?? organizationWriter?.organization;
  const unitIds = [
    ...(inventory?.organizationalUnitIds ?? []),
    ...(organizationWriter?.organizationalUnitPaths ?? []).map(unitIdOf),
  ];
  if (!organization || unitIds.length === 0) return undefined;
  return {
    organization,
    organizationalUnitIds: [...new Set(unitIds)],
    organizationId: inventory?.organizationId ?? organizationWriter?.organizationId,
    section: inventory?.organization ? "inventory" : "organizationWriter",
  };
}

/**
 * Every account the config names (source, destinations, the organization writer's central account, the
 * organization's account, the state account), merged by path.
 */
export function accountTargets(config: CrossAccountConfig): ReachedAccount[] {
  const organization = organizationNeeds(config)?.organization ?? config.inventory?.organization;
  const central = config.organizationWriter?.central;
  const named: Named[] = [
    { label: "source", ...config.source, roleArn: config.source.deployRoleArn },
    ...config.destinations.map((destination) => ({
      label: destination.name === DEFAULT_DESTINATION_NAME ? "destination" : `destination ${destination.name}`,
      ...destination,
      roleArn: destination.deployRoleArn,
    })),
    ...(central ? [{ label: "central", ...central, roleArn: central.deployRoleArn }] : []),
    ...(organization ? [{ label: "organization", ...organization, roleArn: organization.deployRoleArn }] : []),
    ...(config.stateBackend ? [{ label: "state", ...config.stateBackend }] : []),
  ];
  const merged = new Map<string, { target: AccountTarget; labels: string[]; regions: string[] }>();
  for (const entry of named) {
    const key = targetKey(entry);
    const found = merged.get(key) ?? {
      target: {
        labels: [],
        accountId: entry.accountId,
        region: entry.region,
        profile: entry.profile,
        roleArn: entry.roleArn,
      },
      labels: [],
      regions: [],
    };
    if (!found.labels.includes(entry.label)) found.labels.push(entry.label);
    if (!found.regions.includes(entry.region)) found.regions.push(entry.region);
    merged.set(key, found);
  }
  return [...merged.values()].map(({ target, labels, regions }) => ({ ...target, labels, regions }));
}

/** The buckets the stack creates, each with the key of the account path that will own it. */
export function wantedBuckets(config: CrossAccountConfig): { bucket: WantedBucket; key: string }[] {
  const destinations = config.destinations.map((destination, index) => ({
    key: targetKey({ ...destination, roleArn: destination.deployRoleArn }),
    bucket: {
      name: destination.bucket,
      accountId: destination.accountId,
      region: destination.region,
      field:
        keepsSingularForm(destination) && config.destinations.length === 1
          ? "names.bucket"
          : `destinations[${index}].bucket`,
    },
  }));
  const report = config.inventory
    ? [
        {
          key: targetKey({ ...config.source, roleArn: config.source.deployRoleArn }),
          bucket: {
            name: inventoryReportBucketName(config.source),
            accountId: config.source.accountId,
            region: config.source.region,
            field: "the source account or region (the report bucket is inventory-reports-<account>-<region>)",
          },
        },
      ]
    : [];
  const central = config.organizationWriter?.central;
  const centralBucket =
    config.organizationWriter && central
      ? [
          {
            key: targetKey({ ...central, roleArn: central.deployRoleArn }),
            bucket: {
              name: config.organizationWriter.bucket,
              accountId: central.accountId,
              region: central.region,
              field: "organizationWriter.bucket",
            },
          },
        ]
      : [];
  return [...destinations, ...report, ...centralBucket];
}
