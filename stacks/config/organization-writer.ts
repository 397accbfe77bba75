import type { ConfigRule } from "./config-rule";
import type { OrganizationAccountConfig } from "./inventory";
import type { OrganizationWriterFile } from "./organization-writer-schema";
import type { ConfigFile } from "./schema";
import type { AccountConfig } from "./types";

/** Default names of what the organization writer makes in the central, organization and member accounts. */
export const ORGANIZATION_WRITER_NAMES = {
  memberRole: "organization-writer",
  centralRole: "organization-writer-central",
  table: "organization-records",
  bucketPrefix: "records",
  stackSet: "organization-writer-member-role",
} as const;

/** Who in a member account may use its role: AWS services of that account, and roles of that account by name. */
export interface MemberTrustConfig {
  /** lambda.amazonaws.com and/or ec2.amazonaws.com, each only for the member's own account. @default none */
  readonly services: readonly string[];
  /** Role names or patterns with * of the member account itself. @default none */
  readonly roleNamePatterns: readonly string[];
}

/** Many accounts into one: every account of some OUs writes into the central account's table and bucket. */
export interface OrganizationWriterConfig {
  /** The account (and region) of the central table, bucket and role. */
  readonly central: AccountConfig;
  /** Entity paths (o-.../r-...[/ou-...]) whose accounts get the member role and may write. */
  readonly organizationalUnitPaths: readonly string[];
  /** The organization, for aws:PrincipalOrgID: from `organizationWriter.organizationId` or `organizationId`. */
  readonly organizationId: string;
  /** The management account or delegated administrator that holds the StackSet; shared with the inventory's. */
  readonly organization: OrganizationAccountConfig;
  readonly memberTrust: MemberTrustConfig;
  /** @default "organization-writer" */
  readonly memberRoleName: string;
  /** @default "organization-writer-central" */
  readonly centralRoleName: string;
  /** @default "organization-records" */
  readonly table: string;
  /** @default "organization-records-<central account>-<central region>" */
  readonly bucket: string;
  /** @default "records" */
  readonly bucketPrefix: string;
}

/** The OU (or root) id an entity path ends with: what the StackSet targets. */
export const unitIdOf = (path: string): string => path.split("/").at(-1) ?? path;

/** The organization account of the section, or of the inventory when the section names none. */
function organizationOf(file: ConfigFile, section: OrganizationWriterFile) {
  return section.organization ?? file.inventory?.organization;
}

/** The section with its defaults; call only after {@link ORGANIZATION_WRITER_RULES} passed. */
export function organizationWriterOf(file: ConfigFile, section: OrganizationWriterFile): OrganizationWriterConfig {
  const organization = organizationOf(file, section);
  const organizationId = section.organizationId ?? file.organizationId;
  if (!organization || !organizationId) throw new Error("organizationWriter: organization rules did not run");
  const { central } = section;
  return {
    central,
    organizationalUnitPaths: section.organizationalUnitPaths,
    organizationId,
    organization: { ...organization, delegatedAdministrator: organization.delegatedAdministrator ?? false },
    memberTrust: {
      services: section.memberTrust.services ?? [],
      roleNamePatterns: section.memberTrust.roleNamePatterns ?? [],
    },
    memberRoleName: section.memberRoleName ?? ORGANIZATION_WRITER_NAMES.memberRole,
    centralRoleName: section.centralRoleName ?? ORGANIZATION_WRITER_NAMES.centralRole,
    table: section.table ?? ORGANIZATION_WRITER_NAMES.table,
    bucket: section.bucket ?? `organization-records-${central.accountId}-${central.region}`,
    bucketPrefix: section.bucketPrefix ?? ORGANIZATION_WRITER_NAMES.bucketPrefix,
  };
}

/** Cross-field checks of `organizationWriter`. */
export const ORGANIZATION_WRITER_RULES: readonly ConfigRule[] = [
  {
    name: "organization-writer-organization-known",
    check: (file) => {
      const section = file.organizationWriter;
      if (!section) return [];
      return [
        ...(organizationOf(file, section)
          ? []
          : [
              "organizationWriter.organization (or inventory.organization) is required: the management account or delegated administrator that holds the member role's StackSet ({ accountId, region })",
            ]),
        ...((section.organizationId ?? file.organizationId)
          ? []
          : [
              "organizationWriter.organizationId (or organizationId) is required: the central role trusts only principals of that organization (aws:PrincipalOrgID)",
            ]),
      ];
    },
  },
  {
    name: "organization-writer-one-organization-account",
    check: (file) => {
      const own = file.organizationWriter?.organization;
      const inventory = file.inventory?.organization;
      if (!own || !inventory) return [];
      return own.accountId === inventory.accountId && own.region === inventory.region
        ? []
        : [
            `organizationWriter.organization ${own.accountId} (${own.region}) must be inventory.organization ${inventory.accountId} (${inventory.region}): the stack reaches the organization through one provider; leave organizationWriter.organization out to share the inventory's`,
          ];
    },
  },
  {
    name: "organization-writer-paths-in-organization",
    check: (file) => {
      const section = file.organizationWriter;
      const organizationId = section?.organizationId ?? file.organizationId;
      if (!section || !organizationId) return [];
      return section.organizationalUnitPaths.flatMap((path, index) =>
        path.startsWith(`${organizationId}/`)
          ? []
          : [
              `organizationWriter.organizationalUnitPaths.${index} must start with the organization ${organizationId}/, got ${JSON.stringify(path)}`,
            ],
      );
    },
  },
  {
    name: "organization-writer-member-trust-names-someone",
    check: (file) => {
      const trust = file.organizationWriter?.memberTrust;
      if (!trust || (trust.services ?? []).length + (trust.roleNamePatterns ?? []).length > 0) return [];
      return [
        `organizationWriter.memberTrust names nobody who may use the member role: give services (lambda.amazonaws.com, ec2.amazonaws.com) or roleNamePatterns (such as "app-*"), got ${JSON.stringify(trust)}`,
      ];
    },
  },
  {
    name: "organization-writer-member-role-not-trusted-by-itself",
    check: (file) => {
      const section = file.organizationWriter;
      if (!section) return [];
      const memberRole = section.memberRoleName ?? ORGANIZATION_WRITER_NAMES.memberRole;
      const matches = (pattern: string) =>
        new RegExp(`^${pattern.replace(/[.+=,@-]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(memberRole);
      return (section.memberTrust.roleNamePatterns ?? []).flatMap((pattern, index) =>
        matches(pattern)
          ? [
              `organizationWriter.memberTrust.roleNamePatterns.${index} ${JSON.stringify(pattern)} matches the member role ${JSON.stringify(memberRole)} itself: name the workloads' roles, not the writer's`,
            ]
          : [],
      );
    },
  },
];
