import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import type { InventorySettings } from "../../functions/inventory/environment";
import { runInventory } from "../../functions/inventory/inventory";

/** What the benchmark hands the child process that runs the inventory core (in BENCH_INVENTORY, as JSON). */
export interface InventoryChildInput {
  readonly endpoint: string;
  readonly callerCredentials: AwsCredentialIdentity;
  readonly settings: InventorySettings;
  readonly runId: string;
}

// A process of its own, so its peak memory is the core's alone (the bench preloads peak-rss.cjs).
async function main(): Promise<void> {
  const input = JSON.parse(process.env.BENCH_INVENTORY ?? "") as InventoryChildInput;
  const config = { region: "us-east-1", endpoint: input.endpoint, credentials: input.callerCredentials };
  const summary = await runInventory(
    {
      sts: new STSClient(config),
      organizations: new OrganizationsClient(config),
      s3: new S3Client({ ...config, forcePathStyle: true }),
    },
    input.settings,
    { runId: input.runId, endpoint: input.endpoint },
  );
  process.stdout.write(JSON.stringify(summary));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
