import * as os from "node:os";
import * as path from "node:path";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import {
  INVENTORY_DEFAULTS,
  type InventorySettings,
  type InventoryTargets,
} from "../../functions/inventory/environment";
import { type InventorySummary, runInventory } from "../../functions/inventory/inventory";
import { Emulator } from "../lib/emulator";
import { FaultProxy } from "../lib/fault-proxy";
import { createFunctions, createOrganization, type EmulatorOrganization, eachLimited } from "./emulator-organization";
import type { InventoryChildInput } from "./inventory-child";
import { LatencyProxy } from "./latency-proxy";
import { sequentialInventory } from "./sequential-inventory";
import { measure, median, ms, PEAK_RSS, progress, RUNS, record } from "./table";

/** Added to every request of the concurrency figure: a round trip to another region (see docs/inventory-scaling.md). */
export const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const CONCURRENCY = INVENTORY_DEFAULTS.concurrency;
const MEMBERS = 200;
const TWO_REGIONS = ["us-east-1", "eu-west-1"];
const FOUR_REGIONS = [...TWO_REGIONS, "ap-southeast-2", "sa-east-1"];
/** Accounts of the concurrency figure (20 x 4 regions = 80 account-regions); after the memory figure's ten. */
const SPEEDUP_ACCOUNTS = [10, 30] as const;
/** One Lambda run: 15 minutes less the handler's default 30 s margin for writing the report. */
const LAMBDA_BUDGET_MS = (15 * 60 - INVENTORY_DEFAULTS.deadlineMarginSeconds) * 1000;
const BUCKET = "inventory-bench";

const settingsFor = (targets: InventoryTargets, regions: readonly string[]): InventorySettings => ({
  targets,
  regions,
  roleName: INVENTORY_DEFAULTS.roleName,
  reportBucket: BUCKET,
  reportPrefix: "bench",
  concurrency: CONCURRENCY,
  stsRegion: "us-east-1",
  deadlineMarginSeconds: INVENTORY_DEFAULTS.deadlineMarginSeconds,
});

/** The inventory core in this process, every client (report included) through `endpoint`. */
async function runCore(
  organization: EmulatorOrganization,
  endpoint: string,
  settings: InventorySettings,
  runId: string,
): Promise<{ ms: number; summary: InventorySummary }> {
  const config = { region: "us-east-1", endpoint, credentials: organization.callerCredentials };
  const clients = {
    sts: new STSClient(config),
    organizations: new OrganizationsClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
  const started = performance.now();
  const summary = await runInventory(clients, settings, { runId, endpoint });
  const elapsed = performance.now() - started;
  if (summary.statuses.ok !== summary.targets) throw new Error(`inventory ${runId}: ${JSON.stringify(summary)}`);
  return { ms: elapsed, summary };
}

export async function inventoryFigures(): Promise<void> {
  progress(
    `inventory: load average ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(" ")} before setup`,
  );
  const emulator = await Emulator.start();
  const counter = await FaultProxy.start(emulator.endpoint);
  const distant = await LatencyProxy.start(counter.endpoint, LATENCY_MS);
  try {
    const started = performance.now();
    const organization = await createOrganization(emulator.endpoint, MEMBERS);
    const { accountIds } = organization;
    // Accounts 0-4: 1 function per region (10); 5-9: 100 per region (1,000); the rest: one in us-east-1.
    const work = accountIds.flatMap((accountId, index) =>
      index < 10
        ? TWO_REGIONS.map((region) => ({ accountId, region, count: index < 5 ? 1 : 100 }))
        : [{ accountId, region: "us-east-1", count: 1 }],
    );
    await eachLimited(work, ({ accountId, region, count }) => createFunctions(organization, accountId, region, count));
    await new S3Client({
      region: "us-east-1",
      endpoint: emulator.endpoint,
      credentials: organization.callerCredentials,
      forcePathStyle: true,
    }).send(new CreateBucketCommand({ Bucket: BUCKET }));
    progress(`inventory: ${MEMBERS} accounts and their functions made in ${ms(performance.now() - started)}`);

    await concurrencyFigures(organization, counter, distant);
    await memoryFigure(organization);
    await organizationFigures(organization, counter);
    progress(
      `inventory: load average ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(" ")} after`,
    );
  } finally {
    await distant.stop();
    await counter.stop();
    await emulator.stop();
  }
}

async function concurrencyFigures(
  organization: EmulatorOrganization,
  counter: FaultProxy,
  distant: LatencyProxy,
): Promise<void> {
  const accounts = organization.accountIds.slice(...SPEEDUP_ACCOUNTS);
  const targets = accounts.length * FOUR_REGIONS.length;
  const settings = settingsFor({ organizationalUnitIds: [], accountIds: accounts }, FOUR_REGIONS);
  const times = { concurrent: [] as number[], sequential: [] as number[] };
  const assumes: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    let started = performance.now();
    const listed = await sequentialInventory(
      distant.endpoint,
      organization.callerCredentials,
      accounts,
      FOUR_REGIONS,
      settings.roleName,
    );
    times.sequential.push(performance.now() - started);
    counter.reset();
    started = performance.now();
    const { ms: elapsed, summary } = await runCore(organization, distant.endpoint, settings, `speed-${run}`);
    times.concurrent.push(elapsed);
    assumes.push(counter.count("STS.AssumeRole"));
    if (summary.functions !== listed || summary.targets !== targets)
      throw new Error(`the core listed ${summary.functions} functions, the loop ${listed}`);
  }
  const [concurrent, sequential] = [median(times.concurrent), median(times.sequential)];
  const speedUp = sequential / concurrent;
  const shape = `${accounts.length} accounts x ${FOUR_REGIONS.length} regions`;
  record({
    figure: `inventory: ${shape}, concurrency ${CONCURRENCY}, ${LATENCY_MS} ms added per request`,
    value: ms(concurrent),
    baseline: `${ms(sequential)} (the guide's sequential loop)`,
    ratio: `${speedUp.toFixed(1)}x faster`,
    target: `>= ${(0.7 * CONCURRENCY).toFixed(1)}x (0.7 x ${CONCURRENCY})`,
    met: speedUp >= 0.7 * CONCURRENCY ? "yes" : "no",
  });
  const assumeCount = Math.max(...assumes);
  record({
    figure: `inventory: AssumeRole calls, ${shape} (counted at a proxy)`,
    value: String(assumeCount),
    baseline: `${targets} account-regions`,
    ratio: `${(assumeCount / targets).toFixed(2)}x`,
    target: `= accounts (${accounts.length})`,
    met: assumes.every((count) => count === accounts.length) ? "yes" : "no",
  });
  const perTarget = concurrent / targets;
  record({
    figure: `inventory: wall time per account-region at concurrency ${CONCURRENCY}, ${LATENCY_MS} ms per request`,
    value: ms(perTarget),
    baseline: `${ms(sequential / targets)} (sequential)`,
    ratio: `${(perTarget / (sequential / targets)).toFixed(2)}x`,
    target: "report",
    met: "-",
  });
  const fits = Math.floor(LAMBDA_BUDGET_MS / perTarget);
  const planned = 1000 * 17 * perTarget;
  record({
    figure: `inventory: account-regions one 15-min Lambda run fits at that cost (derived; ${LAMBDA_BUDGET_MS / 1000} s)`,
    value: fits.toLocaleString("en-US"),
    baseline: `${Math.floor(LAMBDA_BUDGET_MS / (sequential / targets)).toLocaleString("en-US")} (sequential)`,
    ratio: "-",
    target: `report; 1,000 x 17 would take ${ms(planned)}`,
    met: "-",
  });
}

async function memoryFigure(organization: EmulatorOrganization): Promise<void> {
  const child = path.join(__dirname, "inventory-child.ts");
  const peak = async (accounts: readonly string[], runId: string, expected: number) => {
    const input: InventoryChildInput = {
      endpoint: organization.endpoint,
      callerCredentials: organization.callerCredentials,
      settings: settingsFor({ organizationalUnitIds: [], accountIds: accounts }, TWO_REGIONS),
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
    peaks.few.push(await peak(organization.accountIds.slice(0, 5), `memory-10-${run}`, 10));
    peaks.many.push(await peak(organization.accountIds.slice(5, 10), `memory-1000-${run}`, 1000));
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

async function organizationFigures(organization: EmulatorOrganization, counter: FaultProxy): Promise<void> {
  const settings = settingsFor(
    { organizationalUnitIds: [organization.organizationalUnitId], accountIds: [] },
    TWO_REGIONS,
  );
  const times = { concurrent: [] as number[], sequential: [] as number[] };
  const assumes: number[] = [];
  for (let run = 0; run < Math.min(RUNS, 3); run += 1) {
    let started = performance.now();
    await sequentialInventory(
      counter.endpoint,
      organization.callerCredentials,
      organization.accountIds,
      TWO_REGIONS,
      settings.roleName,
    );
    times.sequential.push(performance.now() - started);
    counter.reset();
    started = performance.now();
    const { summary } = await runCore(organization, counter.endpoint, settings, `organization-${run}`);
    times.concurrent.push(performance.now() - started);
    assumes.push(counter.count("STS.AssumeRole"));
    if (summary.accounts !== MEMBERS) throw new Error(`the OU listed ${summary.accounts} accounts, not ${MEMBERS}`);
  }
  const [concurrent, sequential] = [median(times.concurrent), median(times.sequential)];
  record({
    figure: `inventory: organization of ${MEMBERS} accounts x 2 regions, emulator, no added latency`,
    value: ms(concurrent),
    baseline: `${ms(sequential)} (sequential loop)`,
    ratio: `${(sequential / concurrent).toFixed(2)}x faster`,
    target: "report",
    met: "-",
  });
  const assumeCount = Math.max(...assumes);
  record({
    figure: `inventory: AssumeRole calls, ${MEMBERS} accounts x 2 regions (counted at a proxy)`,
    value: String(assumeCount),
    baseline: `${MEMBERS * TWO_REGIONS.length} account-regions`,
    ratio: `${(assumeCount / (MEMBERS * TWO_REGIONS.length)).toFixed(2)}x`,
    target: `= ${MEMBERS}`,
    met: assumes.every((count) => count === MEMBERS) ? "yes" : "no",
  });
}
