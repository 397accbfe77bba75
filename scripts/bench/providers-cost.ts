import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Emulator, freePort } from "../lib/emulator";
import { emulatorConfig, synthesizeInto } from "../terraform/cdktf-project";
import { Terraform } from "../terraform/terraform";
import { terraformEnvironment } from "../terraform/terraform-env";
import { measureTree, type TreeCost } from "./process-tree";
import { median, ms, progress, RUNS, record } from "./table";

/** Destinations per plan, each in an account of its own: one more provider each. */
const DESTINATION_COUNTS = [1, 3, 10] as const;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** A config whose destinations are `count` accounts of their own, all in us-east-1. */
function configWith(endpoint: string, count: number) {
  const destinations = Array.from({ length: count }, (_, index) => ({
    name: `destination-${index + 1}`,
    accountId: String(300000000001 + index),
    region: "us-east-1",
  }));
  return emulatorConfig(endpoint, { destination: undefined, destinations });
}

/**
 * The cost of per-destination providers: `terraform plan` of the writer stack with 1, 3 and 10 destinations against
 * a fresh emulator (nothing deployed), its wall time and the peak memory of Terraform and its provider processes.
 */
export async function providerCostFigures(): Promise<void> {
  const load = () =>
    os
      .loadavg()
      .map((average) => average.toFixed(2))
      .join(" ");
  progress(`providers: load average ${load()} before`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-providers-"));
  // The endpoint is in the synthesized providers, so every fresh emulator takes the same port.
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...terraformEnvironment(), TF_IN_AUTOMATION: "1" };
  try {
    const directories = new Map<number, string>();
    for (const count of DESTINATION_COUNTS) {
      const stack = await synthesizeInto(path.join(scratch, String(count)), configWith(endpoint, count));
      await new Terraform(stack).init();
      directories.set(count, stack);
    }
    const costs = new Map<number, TreeCost[]>(DESTINATION_COUNTS.map((count) => [count, []]));
    const last = DESTINATION_COUNTS[DESTINATION_COUNTS.length - 1];
    const goDefault: TreeCost[] = [];
    const plan = async (count: number, planEnv: NodeJS.ProcessEnv) => {
      const emulator = await Emulator.start({ port });
      try {
        return await measureTree(
          "terraform",
          ["plan", "-input=false", "-no-color", "-lock=false"],
          directories.get(count) as string,
          planEnv,
        );
      } finally {
        await emulator.stop();
      }
    };
    for (let run = 0; run < Math.min(RUNS, 3); run += 1) {
      for (const count of DESTINATION_COUNTS) {
        const cost = await plan(count, env);
        progress(`plan, ${count} destinations: ${ms(cost.ms)}, ${mb(cost.peakKb)}, ${cost.peakProcesses} processes`);
        costs.get(count)?.push(cost);
      }
      // The baseline of the project's GOGC (terraform-env.ts): Go's own default.
      const cost = await plan(last, { ...env, GOGC: "100" });
      progress(`plan, ${last} destinations, GOGC=100: ${ms(cost.ms)}, ${mb(cost.peakKb)}`);
      goDefault.push(cost);
    }
    const figures = new Map(
      DESTINATION_COUNTS.map((count) => {
        const runs = costs.get(count) ?? [];
        return [
          count,
          {
            ms: median(runs.map((cost) => cost.ms)),
            kb: median(runs.map((cost) => cost.peakKb)),
            processes: Math.max(...runs.map((cost) => cost.peakProcesses)),
          },
        ];
      }),
    );
    const one = figures.get(1) as { ms: number; kb: number };
    for (const count of DESTINATION_COUNTS) {
      const figure = figures.get(count) as { ms: number; kb: number; processes: number };
      record({
        figure: `per-destination providers: \`terraform plan\`, ${count} destination account${count > 1 ? "s" : ""} (${count + 1} providers, ${figure.processes} processes)`,
        value: `${ms(figure.ms)} / ${mb(figure.kb)}`,
        baseline: count === 1 ? "-" : `${ms(one.ms)} / ${mb(one.kb)} (1 destination)`,
        ratio: count === 1 ? "-" : `${(figure.ms / one.ms).toFixed(2)}x / ${(figure.kb / one.kb).toFixed(2)}x`,
        target: "report",
        met: "-",
      });
    }
    const ten = figures.get(last) as { ms: number; kb: number };
    const base = { ms: median(goDefault.map((cost) => cost.ms)), kb: median(goDefault.map((cost) => cost.peakKb)) };
    record({
      figure: `Terraform's Go collector: \`terraform plan\`, ${last} destination accounts, at the project's GOGC=${env.GOGC}`,
      value: `${ms(ten.ms)} / ${mb(ten.kb)}`,
      baseline: `${ms(base.ms)} / ${mb(base.kb)} (GOGC=100, Go's default)`,
      ratio: `${(ten.ms / base.ms).toFixed(2)}x / ${(ten.kb / base.kb).toFixed(2)}x`,
      target: "<= 0.9x / <= 1.2x",
      met: ten.ms / base.ms <= 0.9 && ten.kb / base.kb <= 1.2 ? "yes" : "no",
    });
    record({
      figure: "per-destination providers: each more destination account (slope from 1 to 10)",
      value: `${ms((ten.ms - one.ms) / (last - 1))} / ${mb((ten.kb - one.kb) / (last - 1))}`,
      baseline: "-",
      ratio: "-",
      target: "report",
      met: "-",
    });
    progress(`providers: load average ${load()} after`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
