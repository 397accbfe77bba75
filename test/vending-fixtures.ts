import type { CrossAccountConfigInput } from "../stacks/config";
import { EXAMPLE_CONFIG } from "../stacks/config";

/** A reader of the source account: reads its folder of `destination`. */
export const READER_ARN = "arn:aws:iam::111111111111:role/reporting";
/** An ingest user: writes its folder of `destination`, under its own prefix. */
export const WRITER_ARN = "arn:aws:iam::111111111111:user/ingest";

/** The example config (one destination, emulator) with vending for the two callers. */
export const VENDING_EXAMPLE: CrossAccountConfigInput = {
  ...EXAMPLE_CONFIG,
  vending: {
    callers: [
      { arn: READER_ARN, destinations: ["destination"], access: "read" },
      {
        arn: WRITER_ARN,
        destinations: ["destination"],
        access: "write",
        prefix: "ingest/in",
        maxDurationSeconds: 1800,
      },
    ],
  },
};

/** The same vending on real accounts (no emulator): what a user deploys to AWS. */
export const VENDING_REAL_ACCOUNTS: CrossAccountConfigInput = {
  source: { accountId: "123456789012", region: "eu-west-1" },
  destination: { accountId: "210987654321", region: "eu-central-1" },
  vending: {
    callers: [
      { arn: "arn:aws:iam::123456789012:role/reporting", destinations: ["destination"], access: "read" },
      {
        arn: "arn:aws:iam::123456789012:user/ingest",
        destinations: ["destination"],
        access: "write",
        prefix: "ingest/in",
      },
    ],
  },
};
