import { DEFAULT_EMULATOR_ENDPOINT } from "./fields";
import type { CrossAccountConfigInput } from "./schema";

/** The example accounts of the embedded default: they exist only in the local emulator. */
export const EXAMPLE_SOURCE_ACCOUNT_ID = "111111111111";
export const EXAMPLE_DESTINATION_ACCOUNT_ID = "222222222222";

/** The embedded default: two example accounts in a local emulator, so it runs with no AWS account at all. */
export const EXAMPLE_CONFIG: CrossAccountConfigInput = {
  source: { accountId: EXAMPLE_SOURCE_ACCOUNT_ID, region: "us-east-1" },
  destination: { accountId: EXAMPLE_DESTINATION_ACCOUNT_ID, region: "us-east-1" },
  emulator: { endpoint: DEFAULT_EMULATOR_ENDPOINT },
};
