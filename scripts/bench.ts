import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { buildSync } from "esbuild";
import { destinationRoleCredentials } from "../functions/writer/credentials";
import { type DestinationSettings, writerEnvironment } from "../functions/writer/environment";
import { writeRecord } from "../functions/writer/write-record";
import type { WriterClients } from "../functions/writer/writer-clients";
import { EXAMPLE_DESTINATION_ACCOUNT_ID, EXAMPLE_SOURCE_ACCOUNT_ID } from "../stacks/config";
import { bundleHandler } from "../stacks/lambda/bundled-code";
import { WRITER_BUNDLE } from "../stacks/writer/writer";
import { clientsAssumedNow } from "./bench/assume-per-invocation";
import { invokeDeployedWriter } from "./lib/bundle-runner";
import { cdktf, emulatorConfig, prepareCdktfProject, synthesizeInto } from "./lib/cdktf-project";
import { Emulator, requireTools } from "./lib/emulator";
import { EmulatorAccount } from "./lib/emulator-accounts";
import { FaultProxy } from "./lib/fault-proxy";
import { BUILD_DIRECTORY, PROJECT_ROOT, run, TSX } from "./lib/process";
import { Terraform } from "./lib/terraform";

// `npm run bench`: every figure of the performance issue, each as a median of several runs and, where it has one,
// as a ratio to a baseline measured in the same run. BENCH_RUNS (default 5) sets the runs; BENCH_SKIP_DEPLOY=1
// leaves out the full deploy + invoke + destroy (about 2 minutes).
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PEAK_RSS = path.join(__dirname, "bench", "peak-rss.cjs");

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: "yes" | "no" | "-";
}
const rows: Row[] = [];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) =>
  value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);

function record(row: Row): void {
  rows.push(row);
  progress(`${row.figure}: ${row.value}${row.baseline !== "-" ? ` (baseline ${row.baseline}, ${row.ratio})` : ""}`);
}

/** Runs a command; returns its wall time and, when it is a node process with the preload, its peak memory. */
async function measure(
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

async function synthFigures(): Promise<void> {
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
    baseline.push(await app(path.join(__dirname, "bench", "empty-app.ts")));
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

async function unitSuiteFigure(): Promise<void> {
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

async function bundleFigures(): Promise<void> {
  const ours = bundleHandler(WRITER_BUNDLE);
  const naive = buildSync({
    entryPoints: [WRITER_BUNDLE.entry],
    bundle: true,
    write: false,
    platform: "node",
    format: "cjs",
    minify: true,
    logLevel: "silent",
  }).outputFiles[0].contents;
  const oursGzip = gzipSync(ours).length;
  const naiveGzip = gzipSync(naive).length;
  record({
    figure: "Lambda bundle, minified",
    value: kb(ours.length),
    baseline: `${kb(naive.length)} (cjs, no mainFields)`,
    ratio: `${(ours.length / naive.length).toFixed(2)}x`,
    target: "<= 400 KB",
    met: ours.length <= 400 * 1024 ? "yes" : "no",
  });
  record({
    figure: "Lambda bundle, gzip",
    value: kb(oursGzip),
    baseline: kb(naiveGzip),
    ratio: `${(oursGzip / naiveGzip).toFixed(2)}x`,
    target: "report",
    met: "-",
  });

  // Module init: a fresh process imports the bundle with the function's environment (module-scope clients).
  const directory = mkdtempSync(path.join(os.tmpdir(), "bench-init-"));
  writeFileSync(path.join(directory, "index.mjs"), ours);
  writeFileSync(path.join(directory, "naive.cjs"), naive);
  const env = {
    ...process.env,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    ...writerEnvironment({
      destinations: [
        {
          name: "destination",
          accountId: "222222222222",
          region: "us-east-1",
          roleArn: "arn:aws:iam::222222222222:role/assume-role-via-111111111111",
          tableName: "wd-ddb-table",
          bucketName: "bucket",
        },
      ],
      bucketPrefix: "records",
      stsRegion: "us-east-1",
      roleSessionName: "bench",
      sessionDurationSeconds: 3600,
    }),
  };
  const init = (file: string) =>
    measure(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`,
      ],
      env,
    );
  const oursInit: number[] = [];
  const naiveInit: number[] = [];
  for (let run = 0; run < RUNS * 2; run += 1) {
    naiveInit.push(Number((await init(path.join(directory, "naive.cjs"))).stdout));
    oursInit.push(Number((await init(path.join(directory, "index.mjs"))).stdout));
  }
  const [a, b] = [median(oursInit), median(naiveInit)];
  record({
    figure: "bundle module init time",
    value: ms(a),
    baseline: ms(b),
    ratio: `${(a / b).toFixed(2)}x`,
    target: "<= 0.8x",
    met: a / b <= 0.8 ? "yes" : "no",
  });
  rmSync(directory, { recursive: true, force: true });
}

async function emulatorFigures(): Promise<void> {
  const emulator = await Emulator.start();
  const proxy = await FaultProxy.start(emulator.endpoint);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-emulator-"));
  try {
    const stackDirectory = await synthesizeInto(scratch, emulatorConfig(emulator.endpoint));
    const terraform = new Terraform(stackDirectory);
    await terraform.init();
    await terraform.applyWriterPath();
    const outputs = await terraform.outputs();
    const [source, destination] = await Promise.all([
      EmulatorAccount.open(emulator.endpoint, EXAMPLE_SOURCE_ACCOUNT_ID),
      EmulatorAccount.open(emulator.endpoint, EXAMPLE_DESTINATION_ACCOUNT_ID),
    ]);
    const events = (count: number) =>
      Array.from({ length: count }, (_, index) => ({
        timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, index)).toISOString(),
        uuid: randomUUID(),
        data: { index },
      }));
    const target: DestinationSettings = {
      name: "destination",
      accountId: EXAMPLE_DESTINATION_ACCOUNT_ID,
      region: "us-east-1",
      roleArn: outputs["destination-role-arn"],
      tableName: outputs["table-name"],
      bucketName: outputs["bucket-name"],
      bucketPrefix: outputs["bucket-prefix"],
    };

    // AssumeRole calls, counted at the proxy: the deployed bundle over 1,000 warm invocations in one process ...
    proxy.reset();
    await invokeDeployedWriter(source, stackDirectory, outputs, events(1000), { endpoint: proxy.endpoint });
    const oursAssumes = proxy.count("STS.AssumeRole");
    // ... and the guides' assume-per-invocation pattern doing the same writes.
    proxy.reset();
    for (const event of events(1000)) {
      const clients = await clientsAssumedNow(
        outputs["destination-role-arn"],
        "us-east-1",
        proxy.endpoint,
        source.credentials,
      );
      await writeRecord(clients, target, event);
    }
    const baselineAssumes = proxy.count("STS.AssumeRole");
    record({
      figure: "AssumeRole calls over 1,000 warm invocations (one process)",
      value: String(oursAssumes),
      baseline: `${baselineAssumes} (assume per invocation)`,
      ratio: `${(oursAssumes / baselineAssumes).toFixed(3)}x`,
      target: "exactly 1",
      met: oursAssumes === 1 ? "yes" : "no",
    });

    // Warm write latency, same client code: through the assumed role vs with the destination account's own credentials.
    const sourceCredentials = source.credentials;
    process.env.AWS_ACCESS_KEY_ID = sourceCredentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = sourceCredentials.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = sourceCredentials.sessionToken;
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    const crossCredentials = destinationRoleCredentials(target, {
      stsRegion: "us-east-1",
      roleSessionName: "bench",
      sessionDurationSeconds: 3600,
    });
    const cross: WriterClients = {
      dynamodb: new DynamoDBClient({ region: "us-east-1", credentials: crossCredentials }),
      s3: new S3Client({ region: "us-east-1", credentials: crossCredentials, forcePathStyle: true }),
    };
    const direct: WriterClients = {
      dynamodb: new DynamoDBClient({ region: "us-east-1", credentials: destination.credentials }),
      s3: new S3Client({ region: "us-east-1", credentials: destination.credentials, forcePathStyle: true }),
    };
    const latencies = { cross: [] as number[], direct: [] as number[] };
    await writeRecord(cross, target, events(1)[0]);
    await writeRecord(direct, target, events(1)[0]);
    for (const event of events(300)) {
      for (const [name, clients] of [
        ["direct", direct],
        ["cross", cross],
      ] as const) {
        const started = performance.now();
        await writeRecord(clients, target, { ...event, uuid: randomUUID() });
        latencies[name].push(performance.now() - started);
      }
    }
    const [c, d] = [median(latencies.cross), median(latencies.direct)];
    record({
      figure: "warm write latency (item + object), cross-account",
      value: ms(c),
      baseline: `${ms(d)} (same account, same code)`,
      ratio: `${(c / d).toFixed(2)}x`,
      target: "<= 1.15x",
      met: c / d <= 1.15 ? "yes" : "no",
    });

    // Bulk: one event of 10,000 records through the deployed bundle, against a loop of single puts (1,000 records),
    // first with the default per-record objects, then with the destination's bulkObjects set to per-batch.
    const loopStarted = performance.now();
    for (const event of events(1000)) await writeRecord(cross, target, event);
    const loopRate = 1000 / ((performance.now() - loopStarted) / 1000);
    const bulkFigure = async (layout: string) => {
      const started = performance.now();
      const [bulk] = await invokeDeployedWriter(source, stackDirectory, outputs, [{ records: events(10_000) }]);
      const seconds = (performance.now() - started) / 1000;
      if ("error" in bulk || JSON.parse(bulk.result.body).written !== 10_000)
        throw new Error(`bulk write (${layout}) failed: ${JSON.stringify(bulk).slice(0, 500)}`);
      const ratio = 10_000 / seconds / loopRate;
      record({
        figure: `bulk: 10,000 records cross-account in one event, ${layout}`,
        value: `${(10_000 / seconds).toFixed(0)} records/s (${seconds.toFixed(1)} s)`,
        baseline: `${loopRate.toFixed(0)} records/s (loop of single puts)`,
        ratio: `${ratio.toFixed(1)}x`,
        target: ">= 10x",
        met: ratio >= 10 ? "yes" : "no",
      });
    };
    await bulkFigure("per-record objects (default)");
    await synthesizeInto(scratch, emulatorConfig(emulator.endpoint, { bulkObjects: "per-batch" }));
    await terraform.applyWriterPath();
    await bulkFigure("bulkObjects per-batch");
  } finally {
    await proxy.stop();
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function deployFigure(): Promise<void> {
  if (process.env.BENCH_SKIP_DEPLOY) return;
  const run = await measure(TSX, [path.join(PROJECT_ROOT, "scripts", "demo.ts")]);
  record({
    figure: "emulator deploy + invoke + destroy (npm start)",
    value: ms(run.ms),
    baseline: "-",
    ratio: "-",
    target: "<= 150 s",
    met: run.ms <= 150_000 ? "yes" : "no",
  });
}

function printTable(): void {
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

async function main(): Promise<void> {
  // Lambda runs nodejs22.x: the SDK's notice that it will need Node 22 says nothing about the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  requireTools(["terraform", "moto_server"]);
  mkdirSync(BUILD_DIRECTORY, { recursive: true });
  await bundleFigures();
  await synthFigures();
  await unitSuiteFigure();
  await emulatorFigures();
  await deployFigure();
  printTable();
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
