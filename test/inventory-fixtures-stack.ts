import type { CrossAccountConfigInput } from "../stacks/config";
import { REAL_ACCOUNTS } from "./synth";

export const ORGANIZATION_ID = "o-a1b2c3d4e5";
export const MANAGEMENT_ACCOUNT_ID = "999999999999";
export const UNIT_ID = "ou-ab12-cdef3456";
export const LISTED_ACCOUNT_ID = "444444444444";

/** The real accounts with an inventory of one OU and one listed account, every region enabled. */
export const WITH_INVENTORY: CrossAccountConfigInput = {
  ...REAL_ACCOUNTS,
  inventory: {
    organizationalUnitIds: [UNIT_ID],
    accountIds: [LISTED_ACCOUNT_ID],
    organizationId: ORGANIZATION_ID,
    organization: { accountId: MANAGEMENT_ACCOUNT_ID, region: "us-east-1", profile: "management" },
  },
};

/** {@link WITH_INVENTORY} with its `inventory` fields replaced. */
export function inventoryWith(overrides: Record<string, unknown>): CrossAccountConfigInput {
  return { ...WITH_INVENTORY, inventory: { ...WITH_INVENTORY.inventory, ...overrides } as never };
}
