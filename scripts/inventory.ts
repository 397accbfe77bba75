import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import { listTargetAccounts } from "../functions/inventory/accounts";
import { roleCredentials } from "../functions/inventory/credentials";
import {
  ACCOUNT_ID,
  ENABLED_REGIONS,
  INVENTORY_DEFAULTS,
  type InventoryTargets,
  MAX_CONCURRENCY,
  ORGANIZATIONAL_UNIT_ID,
  REGION,
  type RegionSelection,
} from "../functions/inventory/environment";
import {
  LAMBDA_FUNCTION,
  type LambdaFunctionRow,
  lambdaFunctions,
} from "../functions/inventory/listers/lambda-functions";
import { type StatusRow, scan } from "../functions/inventory/scan";
import {
  csvHeader,
  csvLine,
  FORMATS,
  type Format,
  problemLines,
  progressLine,
  runtimeMatcher,
  table,
} from "./inventory-output";
import { UsageError } from "./lib/process";

const USAGE = `Usage: npm run inventory -- (--accounts <ids> | --ous <ids>) [options]

Lists the Lambda functions of many accounts and regions with your AWS credentials (the default chain), assuming
the inventory role in each account, the same way the inventory Lambda does.

  --accounts <ids>                 12-digit account ids, comma-separated
  --ous <ids>                      OU ids (ou-...) or the root id (r-...): their ACTIVE accounts, child OUs included
  --organization-role-arn <arn>    role to list the OUs' accounts with (default: your own credentials)
  --regions enabled|<regions>      "enabled" (default: each account's enabled regions) or e.g. us-east-1,eu-west-1
  --role-name <name>               role assumed in each account (default ${INVENTORY_DEFAULTS.roleName})
  --concurrency <n>                account-regions listed at once, 1-${MAX_CONCURRENCY} (default ${INVENTORY_DEFAULTS.concurrency})
  --runtime <patterns>             only functions whose runtime matches, e.g. nodejs16.x or 'nodejs1*,python3.8'
  --format table|jsonl|csv         output on stdout (default table); jsonl adds a status line per account-region
  --deadline <seconds>             start no work after this many seconds; the rest is reported not-scanned
  --sts-region <region>            region of STS and Organizations calls (default AWS_REGION or us-east-1)
  --endpoint <url>                 a local AWS emulator, e.g. http://127.0.0.1:5000

Progress goes to stderr, one line per account. Exit status: 0 everything listed, 3 some account or region was not
listed completely (each is named on stderr), 2 bad arguments, 1 the run failed.`;

export interface InventoryCommand {
  readonly targets: InventoryTargets;
  readonly regions: RegionSelection;
  readonly roleName: string;
  readonly concurrency: number;
  readonly format: Format;
  readonly runtimes?: readonly string[];
  readonly organizationRoleArn?: string;
  readonly deadlineSeconds?: number;
  readonly stsRegion: string;
  readonly endpoint?: string;
}

const OPTIONS = [
  "--accounts",
  "--ous",
  "--organization-role-arn",
  "--regions",
  "--role-name",
  "--concurrency",
  "--runtime",
  "--format",
  "--deadline",
  "--sts-region",
  "--endpoint",
] as const;
type Option = (typeof OPTIONS)[number];

function list(option: string, value: string, pattern: RegExp, allowed: string): string[] {
  const items = value.split(",").map((item) => item.trim());
  const bad = items.find((item) => !pattern.test(item));
  if (bad !== undefined) throw new UsageError(`${option} takes ${allowed}, got ${JSON.stringify(bad)}`);
  return [...new Set(items)];
}

function wholeNumber(option: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`${option} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** The command line as a typed command; throws {@link UsageError} naming the bad value and what is allowed. */
export function parseArguments(args: readonly string[], env: NodeJS.ProcessEnv = {}): InventoryCommand {
  const values = new Map<Option, string>();
  for (let index = 0; index < args.length; index += 1) {
    const option = args[index] as Option;
    if (!OPTIONS.includes(option)) {
      throw new UsageError(`unknown argument ${JSON.stringify(args[index])}; allowed: ${OPTIONS.join(", ")}`);
    }
    const value = args[index + 1];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${option} needs a value`);
    if (values.has(option)) throw new UsageError(`${option} is given twice`);
    values.set(option, value);
    index += 1;
  }
  const get = (option: Option) => values.get(option);
  const accountIds = get("--accounts")
    ? list("--accounts", get("--accounts") ?? "", ACCOUNT_ID, "12-digit account ids")
    : [];
  const ous = get("--ous");
  const organizationalUnitIds = ous
    ? list("--ous", ous, ORGANIZATIONAL_UNIT_ID, "OU ids (ou-xxxx-yyyyyyyy) or root ids (r-xxxx)")
    : [];
  if (accountIds.length + organizationalUnitIds.length === 0) throw new UsageError("give --accounts, --ous or both");
  const regionsValue = get("--regions") ?? ENABLED_REGIONS;
  const regions: RegionSelection =
    regionsValue === ENABLED_REGIONS
      ? ENABLED_REGIONS
      : list("--regions", regionsValue, REGION, `"${ENABLED_REGIONS}" or regions such as us-east-1,eu-west-1`);
  const roleName = get("--role-name") ?? INVENTORY_DEFAULTS.roleName;
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName))
    throw new UsageError(`--role-name must be an IAM role name, got ${JSON.stringify(roleName)}`);
  const organizationRoleArn = get("--organization-role-arn");
  if (
    organizationRoleArn !== undefined &&
    !/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(organizationRoleArn)
  ) {
    throw new UsageError(`--organization-role-arn must be an IAM role ARN, got ${JSON.stringify(organizationRoleArn)}`);
  }
  const format = get("--format") ?? "table";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  }
  const runtime = get("--runtime");
  const runtimes =
    runtime === undefined
      ? undefined
      : list("--runtime", runtime, /^[a-z0-9.*?]+$/, "runtime patterns such as nodejs16.x or 'nodejs1*'");
  const stsRegion = get("--sts-region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  if (!REGION.test(stsRegion))
    throw new UsageError(`--sts-region must be a region such as us-east-1, got ${JSON.stringify(stsRegion)}`);
  const endpoint = get("--endpoint");
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new UsageError(
      `--endpoint must be an http(s) URL such as http://127.0.0.1:5000, got ${JSON.stringify(endpoint)}`,
    );
  }
  const deadline = get("--deadline");
  return {
    targets: { organizationalUnitIds, accountIds },
    regions,
    roleName,
    concurrency: get("--concurrency")
      ? wholeNumber("--concurrency", get("--concurrency") ?? "", 1, MAX_CONCURRENCY)
      : INVENTORY_DEFAULTS.concurrency,
    format: format as Format,
    ...(runtimes ? { runtimes } : {}),
    ...(organizationRoleArn ? { organizationRoleArn } : {}),
    ...(deadline !== undefined ? { deadlineSeconds: wholeNumber("--deadline", deadline, 1, 7 * 24 * 3600) } : {}),
    stsRegion,
    ...(endpoint ? { endpoint } : {}),
  };
}

export interface CliOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs the inventory for a command line; returns the exit status (0, 3; 2 for bad arguments). */
export async function runInventoryCli(
  args: readonly string[],
  output: CliOutput,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    output.stdout(`${USAGE}\n`);
    return 0;
  }
  let command: InventoryCommand;
  try {
    command = parseArguments(args, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const endpoint = command.endpoint ? { endpoint: command.endpoint } : {};
  const sts = new STSClient({ region: command.stsRegion, retryMode: "adaptive", maxAttempts: 5, ...endpoint });
  const organizations =
    command.targets.organizationalUnitIds.length === 0
      ? undefined
      : new OrganizationsClient({
          region: command.stsRegion,
          retryMode: "adaptive",
          ...endpoint,
          ...(command.organizationRoleArn ? { credentials: roleCredentials(sts, command.organizationRoleArn) } : {}),
        });
  const targets = await listTargetAccounts(organizations, command.targets);
  const matches = command.runtimes ? runtimeMatcher(command.runtimes) : () => true;
  const functions: LambdaFunctionRow[] = [];
  const statuses: StatusRow[] = [];
  if (command.format === "csv") output.stdout(csvHeader());
  await scan(targets, {
    sts,
    stsRegion: command.stsRegion,
    roleName: command.roleName,
    regions: command.regions,
    concurrency: command.concurrency,
    listers: [lambdaFunctions],
    ...(command.deadlineSeconds ? { deadline: Date.now() + command.deadlineSeconds * 1000 } : {}),
    ...endpoint,
    onAccount: (progress) => output.stderr(progressLine(progress)),
    onRow: (row) => {
      if (row.type === "status") statuses.push(row as StatusRow);
      else if (row.type === LAMBDA_FUNCTION && !matches((row as LambdaFunctionRow).runtime)) return;
      if (command.format === "jsonl") output.stdout(`${JSON.stringify(row)}\n`);
      else if (row.type === LAMBDA_FUNCTION && command.format === "csv")
        output.stdout(csvLine(row as LambdaFunctionRow));
      else if (row.type === LAMBDA_FUNCTION) functions.push(row as LambdaFunctionRow);
    },
  });
  if (command.format === "table") output.stdout(table(functions));
  const problems = problemLines(statuses.filter((row) => row.status !== "skipped"));
  const skipped = problemLines(statuses.filter((row) => row.status === "skipped"));
  if (skipped) output.stderr(`skipped:\n${skipped}`);
  if (problems) output.stderr(`not listed completely:\n${problems}`);
  return problems ? 3 : 0;
}

if (require.main === module) {
  const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text);
  runInventoryCli(process.argv.slice(2), { stdout: write(process.stdout), stderr: write(process.stderr) })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    });
}
