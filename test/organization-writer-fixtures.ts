import type { CrossAccountConfigInput } from "../stacks/config";
import { REAL_ACCOUNTS } from "./synth";

export const ORGANIZATION_ID = "o-a1b2c3d4e5";
export const MANAGEMENT_ACCOUNT_ID = "999999999999";
export const CENTRAL_ACCOUNT_ID = "888888888888";
export const ROOT_ID = "r-ab12";
export const UNIT_ID = "ou-ab12-cdef3456";
/** The entity path of the OU whose accounts write. */
export const UNIT_PATH = `${ORGANIZATION_ID}/${ROOT_ID}/${UNIT_ID}`;

/** The real accounts with an organization writer: one OU writes into a central account of its own. */
export const WITH_ORGANIZATION_WRITER: CrossAccountConfigInput = {
  ...REAL_ACCOUNTS,
  organizationId: ORGANIZATION_ID,
  organizationWriter: {
    central: { accountId: CENTRAL_ACCOUNT_ID, region: "eu-west-1", profile: "central" },
    organization: { accountId: MANAGEMENT_ACCOUNT_ID, region: "us-east-1", profile: "management" },
    organizationalUnitPaths: [UNIT_PATH],
    memberTrust: { services: ["lambda.amazonaws.com", "ec2.amazonaws.com"], roleNamePatterns: ["app-*"] },
  },
};

/** {@link WITH_ORGANIZATION_WRITER} with its `organizationWriter` fields replaced. */
export function organizationWriterWith(overrides: Record<string, unknown>): CrossAccountConfigInput {
  return {
    ...WITH_ORGANIZATION_WRITER,
    organizationWriter: { ...WITH_ORGANIZATION_WRITER.organizationWriter, ...overrides } as never,
  };
}
