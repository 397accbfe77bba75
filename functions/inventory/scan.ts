import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import type { STSClient } from "@aws-sdk/client-sts";
import type { TargetAccount, TargetAccounts } from "./accounts";
import { roleArn, roleCredentials } from "./credentials";
import { ENABLED_REGIONS, type RegionSelection } from "./environment";
import type { Lister, TargetClientConfig } from "./listers/lister";
import { classify, SCAN_STATUSES, type ScanPhase, type ScanRow, type ScanStatus, type StatusRow } from "./status";

export type { ScanRow, ScanStatus, StatusRow } from "./status";

import { WorkQueue } from "./work-queue";

/** Reported when an account is done: all its regions listed, failed or cut by the deadline. */
export interface AccountProgress {
  readonly account: string;
  readonly name?: string;
  readonly done: number;
  readonly total: number;
  readonly statuses: Readonly<Partial<Record<ScanStatus, number>>>;
  readonly rows: number;
}

export interface ScanOptions {
  /** Assumes each account's role with the caller's credentials. */
  readonly sts: STSClient;
  readonly stsRegion: string;
  readonly roleName: string;
  readonly regions: RegionSelection;
  readonly concurrency: number;
  readonly listers: readonly Lister[];
  /** Epoch milliseconds after which no work starts and listings stop. @default - none */
  readonly deadline?: number;
  /** Attempts per call, with adaptive retry (client-side rate limiting on throttling). @default 5 */
  readonly maxAttempts?: number;
  /** A local emulator's URL for every client. @default - AWS */
  readonly endpoint?: string;
  /** Gets every row; awaited, so a slow sink slows the scan instead of filling memory. */
  readonly onRow: (row: ScanRow) => void | Promise<void>;
  readonly onAccount?: (progress: AccountProgress) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface ScanResult {
  readonly accounts: number;
  /** Status rows written: account x region x lister, plus one per account that failed before its regions. */
  readonly targets: number;
  readonly statuses: Readonly<Record<ScanStatus, number>>;
  /** Resource rows written. */
  readonly rows: number;
}

async function enabledRegions(config: TargetClientConfig): Promise<string[]> {
  const ec2 = new EC2Client(config);
  try {
    const { Regions: regions = [] } = await ec2.send(new DescribeRegionsCommand({ AllRegions: false }));
    return regions
      .flatMap((region) => (region.RegionName && region.OptInStatus !== "not-opted-in" ? [region.RegionName] : []))
      .sort();
  } finally {
    ec2.destroy();
  }
}

/**
 * Lists every target account's resources in each region with each lister, `concurrency` calls at a time, and
 * writes one status row per account, region and lister: whatever fails, the rest goes on and nothing is silent.
 * Each account's role is assumed once (before its regions start) and its credentials reused for all its regions.
 */
export async function scan(targets: TargetAccounts, options: ScanOptions): Promise<ScanResult> {
  const now = options.now ?? Date.now;
  const pastDeadline = () => options.deadline !== undefined && now() >= options.deadline;
  const statuses = Object.fromEntries(SCAN_STATUSES.map((status) => [status, 0])) as Record<ScanStatus, number>;
  const total = targets.accounts.length + targets.skipped.length;
  let done = 0;
  let rows = 0;
  let statusRows = 0;
  const queue = new WorkQueue(options.concurrency);
  const perAccount = new Map<
    string,
    { remaining: number; statuses: Partial<Record<ScanStatus, number>>; rows: number }
  >();
  const clientConfig = (region: string, credentials: TargetClientConfig["credentials"]): TargetClientConfig => ({
    region,
    credentials,
    retryMode: "adaptive",
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });

  const report = async (account: { accountId: string; name?: string }, row: Omit<StatusRow, "type" | "account">) => {
    statuses[row.status] += 1;
    statusRows += 1;
    await options.onRow({ type: "status", account: account.accountId, ...row });
    const progress = perAccount.get(account.accountId) ?? { remaining: 1, statuses: {}, rows: 0 };
    progress.statuses[row.status] = (progress.statuses[row.status] ?? 0) + 1;
    progress.rows += row.rows;
    progress.remaining -= 1;
    perAccount.set(account.accountId, progress);
    if (progress.remaining === 0) {
      done += 1;
      options.onAccount?.({
        account: account.accountId,
        ...(account.name ? { name: account.name } : {}),
        done,
        total,
        statuses: progress.statuses,
        rows: progress.rows,
      });
    }
  };
  const listerNames = options.listers.map((lister) => lister.name);
  const failAccount = async (
    account: TargetAccount,
    failure: { status: ScanStatus; message: string },
    phase?: ScanPhase,
  ) => {
    const regions = options.regions === ENABLED_REGIONS ? ["*"] : options.regions;
    const listers = options.regions === ENABLED_REGIONS ? ["*"] : listerNames;
    perAccount.set(account.accountId, { remaining: regions.length * listers.length, statuses: {}, rows: 0 });
    for (const region of regions) {
      for (const lister of listers)
        await report(account, { region, lister, rows: 0, ...(phase ? { phase } : {}), ...failure });
    }
  };

  const listTarget = async (
    account: TargetAccount,
    region: string,
    lister: Lister,
    config: TargetClientConfig,
    role: string,
  ) => {
    let count = 0;
    const result = (status: ScanStatus, message?: string, phase?: ScanPhase) =>
      report(account, {
        region,
        lister: lister.name,
        status,
        rows: count,
        ...(phase ? { phase } : {}),
        ...(message ? { message } : {}),
      });
    if (pastDeadline()) return result("not-scanned", "the run's deadline came before this region was listed");
    try {
      for await (const row of lister.list({ account: account.accountId, region, clientConfig: config })) {
        await options.onRow(row);
        count += 1;
        rows += 1;
        if (pastDeadline())
          return result("not-scanned", `the run's deadline came after ${count} rows: the list is incomplete`);
      }
    } catch (error) {
      const failure = classify(error, "list", role);
      return result(failure.status, count > 0 ? `${failure.message} (after ${count} rows)` : failure.message, "list");
    }
    return result("ok");
  };

  const scanAccount = async (account: TargetAccount) => {
    if (pastDeadline())
      return failAccount(account, { status: "not-scanned", message: "the run's deadline came before this account" });
    const role = roleArn(account.accountId, options.roleName, options.stsRegion);
    const credentials = roleCredentials(options.sts, role);
    try {
      await credentials();
    } catch (error) {
      return failAccount(account, classify(error, "assume-role", role), "assume-role");
    }
    let regions: readonly string[];
    if (options.regions === ENABLED_REGIONS) {
      try {
        regions = await enabledRegions(clientConfig(options.stsRegion, credentials));
      } catch (error) {
        return failAccount(account, classify(error, "describe-regions", role), "describe-regions");
      }
    } else {
      regions = options.regions;
    }
    const work = regions.flatMap((region) => options.listers.map((lister) => ({ region, lister })));
    if (work.length === 0)
      return failAccount(account, { status: "error", message: "DescribeRegions returned no enabled region" });
    perAccount.set(account.accountId, { remaining: work.length, statuses: {}, rows: 0 });
    // Added at the head in reverse, so they run in order, before the next account.
    for (const { region, lister } of work.reverse()) {
      queue.add(() => listTarget(account, region, lister, clientConfig(region, credentials), role), { first: true });
    }
  };

  for (const account of targets.skipped) {
    await report(account, { region: "*", lister: "*", status: "skipped", rows: 0, message: account.reason });
  }
  for (const account of targets.accounts) queue.add(() => scanAccount(account));
  await queue.drained();
  return { accounts: total, targets: statusRows, statuses, rows };
}
