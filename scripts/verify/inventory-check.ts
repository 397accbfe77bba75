import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { VerifyContext } from "./context";
import { OUTPUT_NAMES, stringOutput } from "./deployment";
import { attempt, type CheckResult, type Emit, emitted, failed, ok, skipped } from "./outcome";

/** What the inventory function returns (functions/inventory/inventory.ts InventorySummary), as verify reads it. */
interface InventoryRun {
  readonly reportUri?: string;
  readonly functions?: number;
  readonly statuses?: Record<string, number>;
}

/**
 * Inventory: one run of the deployed function (its configured accounts and regions), then its report found in the
 * report bucket with the source account's deploy credentials and read: the functions it counts are the rows it holds.
 */
export async function checkInventory(context: VerifyContext, emit?: Emit): Promise<CheckResult[]> {
  if (!context.config.inventory) return [emitted(emit, skipped("inventory", "the config has no inventory section"))];
  const functionName = stringOutput(context.deployment, OUTPUT_NAMES.inventoryFunction, "inventory");
  let run: InventoryRun = {};
  const runCheck = "one run of the inventory function";
  const ran = emitted(
    emit,
    await attempt(runCheck, async () => {
      run = ((await context.invoker.invoke(functionName, {})) ?? {}) as InventoryRun;
      if (!run.reportUri?.startsWith("s3://"))
        return failed(runCheck, `${functionName} returned no report: ${JSON.stringify(run).slice(0, 300)}`);
      const statuses = Object.entries(run.statuses ?? {})
        .filter(([, count]) => count > 0)
        .map(([status, count]) => `${count} ${status}`);
      return ok(runCheck, `${run.functions} functions, targets ${statuses.join(", ") || "none"}; ${run.reportUri}`);
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
