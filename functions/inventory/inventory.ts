import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { S3Client } from "@aws-sdk/client-s3";
import type { STSClient } from "@aws-sdk/client-sts";
import { listTargetAccounts } from "./accounts";
import type { InventorySettings } from "./environment";
import { LAMBDA_FUNCTION, lambdaFunctions } from "./listers/lambda-functions";
import type { Lister } from "./listers/lister";
import { type InventoryNarrowing, narrowRegions, narrowTargets } from "./narrowing";
import { type ReportLimits, ReportWriter } from "./report";
import { type ScanStatus, scan } from "./scan";

/** What a run returns, and what its report's summary.json holds (with parts and lines). */
export interface InventorySummary {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Accounts found: scanned and skipped. */
  readonly accounts: number;
  /** Status rows: one per account, region and lister. */
  readonly targets: number;
  readonly statuses: Readonly<Record<ScanStatus, number>>;
  readonly functions: number;
  readonly reportUri: string;
}

export interface InventoryClients {
  /** Has the caller's credentials: assumes each account's role. */
  readonly sts: STSClient;
  /** Lists the OUs' accounts; absent when the targets are account ids only. */
  readonly organizations?: OrganizationsClient;
  /** Writes the report. */
  readonly s3: S3Client;
}

export interface RunOptions {
  readonly runId: string;
  /** Epoch milliseconds after which no work starts. @default - none */
  readonly deadline?: number;
  /** @default - AWS */
  readonly endpoint?: string;
  /** @default [lambdaFunctions] */
  readonly listers?: readonly Lister[];
  readonly reportLimits?: ReportLimits;
  readonly now?: () => number;
  /** One of the targets (and one of the regions) instead of all of them. @default - the whole configured run */
  readonly only?: InventoryNarrowing;
}

/** Lists the target accounts, scans them and writes the report to S3; returns the summary. */
export async function runInventory(
  clients: InventoryClients,
  settings: InventorySettings,
  options: RunOptions,
): Promise<InventorySummary> {
  const now = options.now ?? Date.now;
  const startedAt = new Date(now()).toISOString();
  const location = { bucket: settings.reportBucket, prefix: settings.reportPrefix, runId: options.runId };
  const report = new ReportWriter(clients.s3, location, options.reportLimits);
  const listed = await listTargetAccounts(clients.organizations, settings.targets);
  const targets = options.only ? narrowTargets(listed, options.only) : listed;
  const regions = options.only ? narrowRegions(settings.regions, options.only) : settings.regions;
  let functions = 0;
  const result = await scan(targets, {
    sts: clients.sts,
    stsRegion: settings.stsRegion,
    roleName: settings.roleName,
    regions,
    concurrency: settings.concurrency,
    listers: options.listers ?? [lambdaFunctions],
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    now,
    onRow: (row) => {
      if (row.type === LAMBDA_FUNCTION) functions += 1;
      return report.write(row);
    },
  });
  const summary = {
    runId: options.runId,
    startedAt,
    finishedAt: new Date(now()).toISOString(),
    accounts: result.accounts,
    targets: result.targets,
    statuses: result.statuses,
    functions,
  };
  const reportUri = await report.close(summary);
  return { ...summary, reportUri };
}
