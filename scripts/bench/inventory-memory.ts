import * as path from "node:path";
import type { InventorySettings } from "../../functions/inventory/environment";
import type { InventorySummary } from "../../functions/inventory/inventory";
import type { EmulatorOrganization } from "./emulator-organization";
import type { InventoryChildInput } from "./inventory-child";
import { measure, median, PEAK_RSS, RUNS, record } from "./table";

/**
 * Peak memory of the inventory core in a process of its own, over accounts holding 10 functions and then accounts
 * holding 1,000 (the same number of account-regions), its report written in parts to the emulator's S3.
 */
export async function memoryFigure(
  organization: EmulatorOrganization,
  [fewAccounts, manyAccounts]: readonly [readonly string[], readonly string[]],
  settingsFor: (accounts: readonly string[]) => InventorySettings,
): Promise<void> {
  const child = path.join(__dirname, "inventory-child.ts");
  const peak = async (accounts: readonly string[], runId: string, expected: number) => {
    const input: InventoryChildInput = {
      endpoint: organization.endpoint,
      callerCredentials: organization.callerCredentials,
      settings: settingsFor(accounts),
      runId,
    };
    const result = await measure(process.execPath, ["--require", PEAK_RSS, "--import", "tsx", child], {
      ...process.env,
      BENCH_INVENTORY: JSON.stringify(input),
    });
    const summary = JSON.parse(result.stdout) as InventorySummary;
    if (summary.functions !== expected || result.rssKb === undefined)
      throw new Error(`memory run ${runId} listed ${summary.functions} functions, expected ${expected}`);
    return result.rssKb;
  };
  const peaks = { few: [] as number[], many: [] as number[] };
  for (let run = 0; run < RUNS; run += 1) {
    peaks.few.push(await peak(fewAccounts, `memory-10-${run}`, 10));
    peaks.many.push(await peak(manyAccounts, `memory-1000-${run}`, 1000));
  }
  const [few, many] = [median(peaks.few), median(peaks.many)];
  record({
    figure: "inventory core peak memory, 1,000 functions (5 accounts x 2 regions, report parts to S3)",
    value: `${(many / 1024).toFixed(0)} MB`,
    baseline: `${(few / 1024).toFixed(0)} MB (10 functions)`,
    ratio: `${(many / few).toFixed(2)}x`,
    target: "<= 1.1x (flat)",
    met: many / few <= 1.1 ? "yes" : "no",
  });
}
