import type { CrossAccountConfigInput } from "../stacks/config";

/** Every pattern and every option that changes an IAM policy, on real accounts. */
export const EVERY_PATTERN: CrossAccountConfigInput = {
  source: { accountId: "111111111111", region: "eu-west-1" },
  destinations: [
    {
      name: "analytics",
      accountId: "222222222222",
      region: "us-east-1",
      access: "read-write",
      trustedPrincipals: [{ arn: "arn:aws:iam::444444444444:user/team/alice", requireMfa: true }],
    },
    { name: "archive", accountId: "333333333333", region: "ap-southeast-4", externalId: "archive-external-id" },
  ],
  externalId: "config-wide-external-id",
  organizationId: "o-a1b2c3d4e5",
  trustMode: "account-with-principal-arn",
  trustedPrincipals: [{ arn: "arn:aws:iam::444444444444:role/ops" }],
  tracing: false,
  names: { bucketPrefix: "data/in" },
  sourcePrincipals: {
    instanceRoles: [
      { name: "batch-ec2", destinations: ["analytics", "archive"] },
      { name: "reader-ec2", destinations: ["analytics"], access: "read" },
    ],
    operators: [
      {
        group: "ops-team",
        users: ["alice", "arn:aws:iam::111111111111:user/team/bob"],
        destinations: ["analytics"],
        access: "read",
        maxMfaAgeSeconds: 3600,
      },
      { group: "archivists", users: ["carol"], destinations: ["archive"], requireMfa: false },
    ],
  },
  vending: {
    callers: [
      { arn: "arn:aws:iam::111111111111:role/reporting", destinations: ["analytics"], access: "read" },
      { arn: "arn:aws:iam::111111111111:user/ingest", destinations: ["analytics", "archive"], access: "write" },
    ],
  },
  inventory: {
    organizationalUnitIds: ["ou-ab12-cdef3456"],
    accountIds: ["222222222222", "555555555555"],
    regions: ["us-east-1"],
    organization: { accountId: "999999999999", region: "us-east-1", delegatedAdministrator: true },
  },
  organizationWriter: {
    central: { accountId: "888888888888", region: "eu-west-1" },
    organizationalUnitPaths: ["o-a1b2c3d4e5/r-ab12/ou-ab12-cdef3456"],
    memberTrust: { services: ["lambda.amazonaws.com", "ec2.amazonaws.com"], roleNamePatterns: ["app-*", "batch"] },
  },
};

const name = (prefix: string, length: number) => `${prefix}${"n".repeat(length - prefix.length)}`;
const tenDestinations = Array.from({ length: 10 }, (_, index) => `d${index}`);

/**
 * The bounded policies at their largest: ten read-write destinations whose roles (and the roles of their other
 * accesses) have the longest names IAM allows, named by every source principal and vending; the longest function,
 * role and group names; tracing on.
 */
export const BIGGEST_BOUNDED: CrossAccountConfigInput = {
  source: { accountId: "111111111111", region: "ap-southeast-4" },
  destinations: tenDestinations.map((destination, index) => ({
    name: destination,
    accountId: String(222222222220 + index),
    region: "ap-southeast-4",
    access: "read-write",
    // "-vending", the longest suffix a role of the destination gets, fills it to IAM's 64.
    role: name(`${destination}-`, 56),
  })),
  names: { writerRole: name("writer-", 64), writerFunction: name("writer-", 64) },
  sourcePrincipals: {
    instanceRoles: [{ name: name("reader-", 64), destinations: tenDestinations, access: "read" }],
    operators: [
      {
        group: name("operators-", 128),
        users: ["alice"],
        destinations: tenDestinations,
        access: "write",
        maxMfaAgeSeconds: 129600,
      },
    ],
  },
  vending: {
    callers: [{ arn: "arn:aws:iam::111111111111:role/reporting", destinations: tenDestinations, access: "read-write" }],
    functionName: name("vend-", 64),
    executionRole: name("vend-", 64),
  },
};
