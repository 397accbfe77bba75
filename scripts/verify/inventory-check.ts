import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { ENABLED_REGIONS } from "../../functions/inventory/environment";
import type { VerifyContext } from "./context";
import { OUTPUT_NAMES, stringOutput } from "./deployment";
import { firstActiveAccount } from "./organization-accounts";
import { attempt, type CheckResult, type Emit, emitted, failed, ok, skipped } from "./outcome";

/** What the inventory function returns (functions/inventory/inventory.ts InventorySummary), as verify reads it. */
interface InventoryRun {
  readonly reportUri?: string;
  readonly functions?: number;
  readonly statuses?: Record<string, number>;
}

/** One account and region of the inventory's targets, for one narrowed run (the event's `only`). */
export interface InventoryProbe {
  readonly accountId: string;
  readonly region: string;
}

/**
 * The account and region verify runs the inventory for: the first listed account, else the first ACTIVE account of
 * the first OU (Organizations, with the organization account's deploy credentials); the first listed region, else
 * the source's. Undefined when the OUs hold no active account.
 */
export async function inventoryProbe(context: VerifyContext): Promise<InventoryProbe | undefined> {
  const inventory = context.config.inventory;
  if (!inventory) return undefined;
  const region = inventory.regions === ENABLED_REGIONS ? context.config.source.region : inventory.regions[0];
  if (inventory.accountIds.length > 0) return { accountId: inventory.accountIds[0], region };
  const organization = inventory.organization;
  if (!organization || inventory.organizationalUnitIds.length === 0) return undefined;
  const accountId = await firstActiveAccount(context, organization, inventory.organizationalUnitIds[0]);
  if (accountId) return { accountId, region };
  return undefined;
}

/**
 * Inventory: one run of the deployed function narrowed to one of its accounts and regions ({@link inventoryProbe}),
 * then its report found in the report bucket with the source account's deploy credentials and read: the functions
 * it counts are the rows it holds.
 */
export async function checkInventory(context: VerifyContext, emit?: Emit): Promise<CheckResult[]> {
  if (!context.config.inventory) return [emitted(emit, skipped("inventory", "the config has no inventory section"))];
  const functionName = stringOutput(context.deployment, OUTPUT_NAMES.inventoryFunction, "inventory");
  let run: InventoryRun = {};
  const runCheck = "one run of the inventory function";
  const ran = emitted(
    emit,
    await attempt(runCheck, async () => {
      const probe = await inventoryProbe(context);
      if (!probe) return failed(runCheck, "the inventory's OUs hold no ACTIVE account to run it for");
      run = ((await context.invoker.invoke(functionName, { only: probe })) ?? {}) as InventoryRun;
      if (!run.reportUri?.startsWith("s3://"))
        return failed(runCheck, `${functionName} returned no report: ${JSON.stringify(run).slice(0, 300)}`);
      const statuses = Object.entries(run.statuses ?? {})
        .filter(([, count]) => count > 0)
        .map(([status, count]) => `${count} ${status}`);
      return ok(
        runCheck,
        `account ${probe.accountId} in ${probe.region}: ${run.functions} functions, targets ` +
          `${statuses.join(", ") || "none"}; ${run.reportUri}`,
      );
    }),
  );
  if (ran.status !== "ok") return [ran];
  const reportCheck = "the report is found and read";
  const report = emitted(
    emit,
    await attempt(reportCheck, async () => {
      const [bucket, ...rest] = (run.reportUri as string).slice("s3://".length).split("/");
      const prefix = rest.join("/").replace(/\/?$/, "/");
      const s3 = new S3Client(
        context.clientSettings(context.config.source.region, context.deployCredentials(context.config.source)),
      );
      const { Contents: contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      const parts = contents.map((object) => object.Key ?? "").filter((key) => key.endsWith(".jsonl"));
      if (parts.length === 0) return failed(reportCheck, `no report part under s3://${bucket}/${prefix}`);
      let rows = 0;
      let functions = 0;
      for (const key of parts) {
        const text =
          (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ?? "";
        for (const line of text.split("\n").filter(Boolean)) {
          rows += 1;
          if ((JSON.parse(line) as { type?: string }).type === "lambda-function") functions += 1;
        }
      }
      return functions === run.functions
        ? ok(reportCheck, `s3://${bucket}/${prefix}: ${parts.length} part(s), ${rows} rows, ${functions} functions`)
        : failed(
            reportCheck,
            `s3://${bucket}/${prefix} lists ${functions} functions, the run counted ${run.functions}`,
          );
    }),
  );
  return [ran, report];
}
