// The shape of the `organizationWriter` section, below schema.ts which composes every section; its types, defaults
// and cross-field rules sit above, in organization-writer.ts.
import * as v from "valibot";
import * as field from "./fields";

/** An Organizations entity path of a root or an OU: o-<org>/r-<root>[/ou-...]* (the aws:PrincipalOrgPaths form). */
export const ORGANIZATION_PATH = /^o-[a-z0-9]{10,32}\/r-[0-9a-z]{4,32}(\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})*$/;

/** The AWS services whose workloads may use a member's role. */
export const MEMBER_SERVICES = ["lambda.amazonaws.com", "ec2.amazonaws.com"] as const;

const pathsMessage = (issue: { input: unknown }) =>
  `must be a non-empty array of distinct Organizations entity paths such as "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111" (root, then each OU down to the one whose accounts write), ${field.got(issue.input)}`;

const rolePattern = field.pattern(
  /^[\w+=,.@*-]{1,64}$/,
  'a role name, or a pattern with * such as "app-*", of the member account itself',
);

/** `organizationWriter` in the config file: the central stores, the organization's OUs and who uses a member's role. */
export const organizationWriterSchema = field.strictObject({
  central: field.strictObject({
    accountId: field.accountId,
    region: field.region,
    profile: v.optional(field.profile),
    deployRoleArn: v.optional(field.roleArn("OrganizationAccountAccessRole")),
  }),
  organizationalUnitPaths: v.pipe(
    v.array(v.pipe(v.string(pathsMessage), v.regex(ORGANIZATION_PATH, pathsMessage)), pathsMessage),
    v.minLength(1, pathsMessage),
    v.check((paths) => new Set(paths).size === paths.length, pathsMessage),
  ),
  memberTrust: field.strictObject({
    services: v.optional(v.array(field.oneOf(MEMBER_SERVICES, "the workloads of a member account"))),
    roleNamePatterns: v.optional(v.array(rolePattern)),
  }),
  organizationId: v.optional(field.organizationId),
  organization: v.optional(field.organizationAccount),
  memberRoleName: v.optional(field.roleName),
  centralRoleName: v.optional(field.roleName),
  table: v.optional(field.tableName),
  bucket: v.optional(field.bucketName),
  bucketPrefix: v.optional(field.bucketPrefix),
});

export type OrganizationWriterFile = v.InferOutput<typeof organizationWriterSchema>;
