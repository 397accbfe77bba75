import * as os from "node:os";
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
import { memoryFigure } from "./inventory-memory";
import { LatencyProxy } from "./latency-proxy";
import { sequentialInventory } from "./sequential-inventory";
import { median, ms, progress, RUNS, record } from "./table";

/**
 * Added to every request of the concurrency figures: a round trip to a nearby and to a distant region (see
 * docs/inventory-scaling.md). The first also counts AssumeRole calls and has every run; the second at most 3.
 */
const LATENCIES_MS = [50, 200] as const;
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

    await concurrencyFigures(organization, counter, LATENCIES_MS[0], RUNS);
    await concurrencyFigures(organization, counter, LATENCIES_MS[1], Math.min(RUNS, 3));
    const fewAndMany = [organization.accountIds.slice(0, 5), organization.accountIds.slice(5, 10)] as const;
    await memoryFigure(organization, fewAndMany, (accounts) =>
      settingsFor({ organizationalUnitIds: [], accountIds: accounts }, TWO_REGIONS),
    );
    await organizationFigures(organization, counter);
    progress(
      `inventory: load average ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(" ")} after`,
    );
  } finally {
    await counter.stop();
    await emulator.stop();
  }
}

async function concurrencyFigures(
  organization: EmulatorOrganization,
  counter: FaultProxy,
  latencyMs: number,
  runs: number,
): Promise<void> {
  const distant = await LatencyProxy.start(counter.endpoint, latencyMs);
  const accounts = organization.accountIds.slice(...SPEEDUP_ACCOUNTS);
  const targets = accounts.length * FOUR_REGIONS.length;
  const settings = settingsFor({ organizationalUnitIds: [], accountIds: accounts }, FOUR_REGIONS);
  const times = { concurrent: [] as number[], sequential: [] as number[] };
  const assumes: number[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
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
      const { ms: elapsed, summary } = await runCore(
        organization,
        distant.endpoint,
        settings,
        `speed-${latencyMs}-${run}`,
      );
      times.concurrent.push(elapsed);
      assumes.push(counter.count("STS.AssumeRole"));
      if (summary.functions !== listed || summary.targets !== targets)
        throw new Error(`the core listed ${summary.functions} functions, the loop ${listed}`);
    }
  } finally {
    await distant.stop();
  }
  const [concurrent, sequential] = [median(times.concurrent), median(times.sequential)];
  const speedUp = sequential / concurrent;
  const shape = `${accounts.length} accounts x ${FOUR_REGIONS.length} regions`;
  record({
    figure: `inventory: ${shape}, concurrency ${CONCURRENCY}, ${latencyMs} ms added per request`,
    value: ms(concurrent),
    baseline: `${ms(sequential)} (the guide's sequential loop)`,
    ratio: `${speedUp.toFixed(1)}x faster`,
    target: `>= ${(0.7 * CONCURRENCY).toFixed(1)}x (0.7 x ${CONCURRENCY})`,
    met: speedUp >= 0.7 * CONCURRENCY ? "yes" : "no",
  });
  if (latencyMs === LATENCIES_MS[0]) {
    const assumeCount = Math.max(...assumes);
    record({
      figure: `inventory: AssumeRole calls, ${shape} (counted at a proxy)`,
      value: String(assumeCount),
      baseline: `${targets} account-regions`,
      ratio: `${(assumeCount / targets).toFixed(2)}x`,
      target: `= accounts (${accounts.length})`,
      met: assumes.every((count) => count === accounts.length) ? "yes" : "no",
    });
  }
  const [perTarget, perTargetSequential] = [concurrent / targets, sequential / targets];
  const fits = (cost: number) => Math.floor(LAMBDA_BUDGET_MS / cost).toLocaleString("en-US");
  record({
    figure: `inventory: per account-region at ${latencyMs} ms -> account-regions one 15-min run fits (${LAMBDA_BUDGET_MS / 1000} s)`,
    value: `${ms(perTarget)} -> ${fits(perTarget)}`,
    baseline: `${ms(perTargetSequential)} -> ${fits(perTargetSequential)} (sequential)`,
    ratio: "-",
    target: `report; 1,000 x 17: ${ms(17_000 * perTarget)}`,
    met: "-",
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
