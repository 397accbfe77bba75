import { analytics, withDestination, withDestinations } from "./config-fixtures";
import { inventoryWith } from "./inventory-fixtures-stack";
import { ORGANIZATION_ID, organizationWriterWith } from "./organization-writer-fixtures";

const TAG = "[aws-rule iam-policy-size-quotas]";
/** `count` roles of another account, each with a path that makes its ARN `length` characters long. */
const longRoles = (count: number, length: number) =>
  Array.from({ length: count }, (_, index) => {
    const arn = `arn:aws:iam::444444444444:role/${index}/`;
    return { arn: `${arn}${"r".repeat(length - arn.length)}` };
  });
const tooManyPaths = Array.from(
  { length: 40 },
  (_, index) => `${ORGANIZATION_ID}/r-ab12/ou-ab12-${String(index).padStart(8, "0")}`,
);

/** A failing case of each IAM policy size rule (merged into test/config-rules.test.ts's FAILING). */
export const IAM_POLICY_SIZE_FAILING = {
  "role-trust-policies-fit": [
    {
      when: `twenty trusted principals with long paths overflow a destination role's trust policy ${TAG}`,
      input: withDestinations({ ...analytics, trustedPrincipals: longRoles(20, 100) }),
      expected:
        /destinations\.0 \("analytics"\): the trust policy of role assume-role-via-111111111111-analytics in account 222222222222 would be 2\d{3} characters \(not counting whitespace\), more than the 2048 IAM allows a role's trust policy by default: trust fewer principals there \(trustedPrincipals, and the instance roles and operator groups of sourcePrincipals that name it\)/,
    },
    {
      when: `an external id repeated in each statement overflows the trust policy ${TAG}`,
      input: { ...withDestination({}), externalId: "e".repeat(1224), trustedPrincipals: longRoles(1, 40) },
      expected:
        /destination: the trust policy of role assume-role-via-111111111111 in account 222222222222 would be 2\d{3} characters .* or a shorter externalId \(every statement repeats it\)/,
    },
    {
      when: `many OU paths overflow the organization writer's central role's trust policy ${TAG}`,
      input: organizationWriterWith({ organizationalUnitPaths: tooManyPaths }),
      expected:
        /organizationWriter: the trust policy of role organization-writer-central in account 888888888888 would be 2\d{3} characters .*: name fewer organizationWriter\.organizationalUnitPaths \(a parent OU covers its children\)/,
    },
    {
      when: `many role name patterns overflow the member role's trust policy ${TAG}`,
      input: organizationWriterWith({
        memberTrust: { roleNamePatterns: Array.from({ length: 40 }, (_, index) => `app-${index}-workload-*`) },
      }),
      expected:
        /organizationWriter\.memberTrust: the trust policy of role organization-writer in every account of StackSet organization-writer-member-role would be 2\d{3} characters .*: name fewer organizationWriter\.memberTrust\.roleNamePatterns/,
    },
  ],
  "inline-policies-fit": [
    {
      when: `listed accounts overflow the inventory role's inline policies ${TAG}`,
      input: inventoryWith({
        accountIds: Array.from({ length: 110 }, (_, index) => String(500000000000 + index)),
        roleName: "r".repeat(64),
      }),
      expected:
        /inventory: the inline policies of role cross-account-inventory in account 123456789012 would come to 1\d{4} characters \(not counting whitespace\), more than the 10240 IAM allows for all inline policies of one role: list fewer inventory\.accountIds/,
    },
    {
      when: `a long bucket prefix overflows a read-write destination role's policy ${TAG}`,
      input: { ...withDestinations({ ...analytics, access: "read-write" }), names: { bucketPrefix: "p".repeat(3300) } },
      expected:
        /destinations\.0 \("analytics"\): the inline policies of role assume-role-via-111111111111-analytics in account 222222222222 would come to 1\d{4} characters .*: shorten names\.bucketPrefix or the table name/,
    },
    {
      when: `a long bucket prefix overflows the central role's policy ${TAG}`,
      input: organizationWriterWith({ bucketPrefix: "p".repeat(10000) }),
      expected:
        /organizationWriter: the inline policies of role organization-writer-central in account 888888888888 would come to 1\d{4} characters .*: shorten organizationWriter\.bucketPrefix or table/,
    },
  ],
};
