import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT, run } from "../shared/process";

// `npm run bench`: every figure of the performance issue, each as a median of several runs and, where it has one,
// as a ratio to a baseline measured in the same run. BENCH_RUNS (default 5) sets the runs; BENCH_SKIP_DEPLOY=1
// leaves out the full deploy + invoke + destroy (about 2 minutes).
export const RUNS = Number(process.env.BENCH_RUNS ?? 5);
export const PEAK_RSS = path.join(__dirname, "peak-rss.cjs");

export interface Row {
  readonly figure: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: "yes" | "no" | "-";
}
export const rows: Row[] = [];
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const ms = (value: number) =>
  value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`;
export const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);

export function record(row: Row): void {
  rows.push(row);
  progress(`${row.figure}: ${row.value}${row.baseline !== "-" ? ` (baseline ${row.baseline}, ${row.ratio})` : ""}`);
}

/** Runs a command; returns its wall time and, when it is a node process with the preload, its peak memory. */
export async function measure(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = PROJECT_ROOT,
): Promise<{ ms: number; rssKb?: number; stdout: string }> {
  const started = performance.now();
  const { stdout, stderr } = await run(command, args, { cwd, env });
  const rss = /PEAK_RSS_KB (\d+)/.exec(stderr)?.[1];
  return { ms: performance.now() - started, rssKb: rss ? Number(rss) : undefined, stdout };
}

export function printTable(): void {
  const header: Row = {
    figure: "figure",
    value: "value",
    baseline: "baseline (same run)",
    ratio: "ratio",
    target: "target",
    met: "-",
  };
  const table = [header, ...rows];
  const widths = (Object.keys(header) as Array<keyof Row>).map((key) =>
    Math.max(...table.map((row) => row[key].length)),
  );
  const line = (row: Row) =>
    `| ${(Object.keys(header) as Array<keyof Row>).map((key, index) => (row === header && key === "met" ? "met" : row[key]).padEnd(widths[index])).join(" | ")} |`;
  console.log(
    `\nMachine: ${os.cpus()[0]?.model ?? "unknown"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; medians of ${RUNS} runs (synth: ${RUNS * 2})\n`,
  );
  console.log(line(header));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}
