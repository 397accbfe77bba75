import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BUILD_DIRECTORY, PROJECT_ROOT } from "../shared/process";
import { cdktf, emulatorConfig, prepareCdktfProject } from "../terraform/cdktf-project";
import { measure, median, ms, PEAK_RSS, RUNS, record } from "./table";

export async function synthFigures(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));
  const app = (entry: string) =>
    measure(process.execPath, ["--require", PEAK_RSS, "--import", "tsx", entry], {
      ...process.env,
      CDKTF_OUTDIR: path.join(scratch, randomUUID()),
    });
  const ours: Array<{ ms: number; rssKb?: number }> = [];
  const baseline: Array<{ ms: number; rssKb?: number }> = [];
  // Twice as many runs as the other figures: each takes about a second, and the machine's noise is of that order.
  for (let run = 0; run < RUNS * 2; run += 1) {
    baseline.push(await app(path.join(__dirname, "empty-app.ts")));
    ours.push(await app(path.join(PROJECT_ROOT, "main.ts")));
  }
  const time = [median(ours.map((run) => run.ms)), median(baseline.map((run) => run.ms))];
  const memory = [median(ours.map((run) => run.rssKb ?? 0)), median(baseline.map((run) => run.rssKb ?? 0))];
  // The first synth after a change of the writer's sources or dependencies bundles again.
  rmSync(path.join(BUILD_DIRECTORY, "bundles"), { recursive: true, force: true });
  const cold = await app(path.join(PROJECT_ROOT, "main.ts"));
  record({
    figure: "synth: app process wall time (main.ts -> cdk.tf.json, bundle cached)",
    value: ms(time[0]),
    baseline: `${ms(time[1])} (empty app, one provider)`,
    ratio: `${(time[0] / time[1]).toFixed(2)}x`,
    target: "<= 1.5x",
    met: time[0] / time[1] <= 1.5 ? "yes" : "no",
  });
  record({
    figure: "synth: app process wall time, first after a change (esbuild runs)",
    value: ms(cold.ms),
    baseline: ms(time[1]),
    ratio: `${(cold.ms / time[1]).toFixed(2)}x`,
    target: "report",
    met: "-",
  });
  record({
    figure: "synth: app process peak memory",
    value: `${(memory[0] / 1024).toFixed(0)} MB`,
    baseline: `${(memory[1] / 1024).toFixed(0)} MB`,
    ratio: `${(memory[0] / memory[1]).toFixed(2)}x`,
    target: "<= 1.5x",
    met: memory[0] / memory[1] <= 1.5 ? "yes" : "no",
  });

  const project = path.join(scratch, "cli");
  prepareCdktfProject(project, emulatorConfig("http://127.0.0.1:5000"));
  const cli: number[] = [];
  for (let run = 0; run < Math.min(RUNS, 3); run += 1) {
    const started = performance.now();
    await cdktf(project, "synth");
    cli.push(performance.now() - started);
  }
  record({
    figure: "`cdktf synth` (CLI, app run by tsx without type check)",
    value: ms(median(cli)),
    baseline: "-",
    ratio: "-",
    target: "report",
    met: "-",
  });
  rmSync(scratch, { recursive: true, force: true });
}

export async function unitSuiteFigure(): Promise<void> {
  const run = await measure(path.join(PROJECT_ROOT, "node_modules", ".bin", "jest"), [
    "--selectProjects",
    "unit",
    "--silent",
  ]);
  record({
    figure: "unit test suite (jest, all but the emulator tests)",
    value: ms(run.ms),
    baseline: "-",
    ratio: "-",
    target: "<= 15 s",
    met: run.ms <= 15_000 ? "yes" : "no",
  });
}
