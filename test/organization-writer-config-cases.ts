import { ORGANIZATION_ID, organizationWriterWith, UNIT_PATH } from "./organization-writer-fixtures";

/** A failing case of each organization writer rule (merged into test/config-rules.test.ts's FAILING). */
export const ORGANIZATION_WRITER_FAILING = {
  "organization-writer-organization-known": [
    {
      when: "neither the section nor the inventory names the organization account",
      input: organizationWriterWith({ organization: undefined }),
      expected: /organizationWriter\.organization \(or inventory\.organization\) is required/,
    },
  ],
  "organization-writer-one-organization-account": [
    {
      when: "the section's organization account is not the inventory's",
      input: {
        ...organizationWriterWith({}),
        inventory: {
          organizationalUnitIds: ["ou-ab12-cdef3456"],
          organization: { accountId: "777777777777", region: "us-east-1" },
        },
      },
      expected:
        /organizationWriter\.organization 999999999999 \(us-east-1\) must be inventory\.organization 777777777777 \(us-east-1\)/,
    },
  ],
  "organization-writer-paths-in-organization": [
    {
      when: "a path belongs to another organization",
      input: organizationWriterWith({ organizationalUnitPaths: [UNIT_PATH, "o-zzzzzzzzzz/r-ab12"] }),
      expected: new RegExp(
        `organizationWriter\\.organizationalUnitPaths\\.1 must start with the organization ${ORGANIZATION_ID}/, got "o-zzzzzzzzzz/r-ab12"`,
      ),
    },
  ],
  "organization-writer-member-trust-names-someone": [
    {
      when: "memberTrust names no service and no role",
      input: organizationWriterWith({ memberTrust: {} }),
      expected: /organizationWriter\.memberTrust names nobody who may use the member role/,
    },
  ],
  "organization-writer-member-role-not-trusted-by-itself": [
    {
      when: "a role pattern matches the member role's own name",
      input: organizationWriterWith({ memberTrust: { roleNamePatterns: ["organization-*"] } }),
      expected:
        /organizationWriter\.memberTrust\.roleNamePatterns\.0 "organization-\*" matches the member role "organization-writer" itself/,
    },
  ],
};
