import {
  ACCOUNT_ID,
  ENABLED_REGIONS,
  INVENTORY_DEFAULTS,
  type InventoryTargets,
  MAX_CONCURRENCY,
  ORGANIZATIONAL_UNIT_ID,
  REGION,
  type RegionSelection,
} from "../../functions/inventory/environment";
import { INVENTORY_NAMES } from "../../stacks/config/inventory";
import { UsageError } from "../shared/process";
import { FORMATS, type Format } from "./output";

export const USAGE = `Usage: npm run inventory -- (--accounts <ids> | --ous <ids>) --role-name <name> [options]
       npm run inventory -- --via-function <name or ARN> [--format ...] [--runtime ...]

Lists the Lambda functions of many accounts and regions, one of two ways:

  --role-name <name>               with your AWS credentials (the default chain), assuming this role in each
                                   account: one that trusts you, such as OrganizationAccountAccessRole from the
                                   management account. Not ${INVENTORY_DEFAULTS.roleName}: it trusts only the inventory
                                   function's execution role.
  --via-function <name or ARN>     by running the deployed inventory function (e.g. ${INVENTORY_NAMES.functionName}) with
                                   its own targets and roles: needs lambda:InvokeFunction on it and s3:GetObject on
                                   its report bucket. The region is the ARN's, or --sts-region's.

With --role-name:
  --accounts <ids>                 12-digit account ids, comma-separated
  --ous <ids>                      OU ids (ou-...) or the root id (r-...): their ACTIVE accounts, child OUs included
  --organization-role-arn <arn>    role to list the OUs' accounts with (default: your own credentials)
  --regions enabled|<regions>      "enabled" (default: each account's enabled regions) or e.g. us-east-1,eu-west-1
  --concurrency <n>                account-regions listed at once, 1-${MAX_CONCURRENCY} (default ${INVENTORY_DEFAULTS.concurrency})
  --deadline <seconds>             start no work after this many seconds; the rest is reported not-scanned
  --endpoint <url>                 a local AWS emulator, e.g. http://127.0.0.1:5000
Either way:
  --runtime <patterns>             only functions whose runtime matches, e.g. nodejs16.x or 'nodejs1*,python3.8'
  --format table|jsonl|csv         output on stdout (default table); jsonl adds a status line per account-region
  --sts-region <region>            region of STS, Organizations and a function named without ARN
                                   (default AWS_REGION or us-east-1)

Progress goes to stderr. Exit status: 0 everything listed, 3 some account or region was not listed completely
(each is named on stderr), 2 bad arguments, 1 the run failed.`;

/** What both ways share: how to print, and the region of STS (and of a function named without ARN). */
interface CommonCommand {
  readonly format: Format;
  readonly runtimes?: readonly string[];
  readonly stsRegion: string;
}

/** List from here with your credentials, assuming `roleName` in each account. */
export interface ScanCommand extends CommonCommand {
  readonly mode: "scan";
  readonly targets: InventoryTargets;
  readonly regions: RegionSelection;
  readonly roleName: string;
  readonly concurrency: number;
  readonly organizationRoleArn?: string;
  readonly deadlineSeconds?: number;
  readonly endpoint?: string;
}

/** Run the deployed inventory function and print its report. */
export interface ViaFunctionCommand extends CommonCommand {
  readonly mode: "via-function";
  /** A function name or ARN. */
  readonly functionName: string;
  /** The function's region: its ARN's, else the STS region. */
  readonly region: string;
}

export type InventoryCommand = ScanCommand | ViaFunctionCommand;

const SCAN_OPTIONS = [
  "--accounts",
  "--ous",
  "--organization-role-arn",
  "--regions",
  "--role-name",
  "--concurrency",
  "--deadline",
  "--endpoint",
] as const;
const OPTIONS = [...SCAN_OPTIONS, "--via-function", "--runtime", "--format", "--sts-region"] as const;
type Option = (typeof OPTIONS)[number];

const FUNCTION_ARN = /^arn:aws[\w-]*:lambda:([a-z0-9-]+):\d{12}:function:[\w-]{1,64}$/;
const FUNCTION_NAME = /^[\w-]{1,64}$/;

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

function optionValues(args: readonly string[]): Map<Option, string> {
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
  return values;
}

function viaFunction(values: Map<Option, string>, common: CommonCommand): ViaFunctionCommand {
  const functionName = values.get("--via-function") ?? "";
  const scanOption = SCAN_OPTIONS.find((option) => values.has(option));
  if (values.has("--endpoint"))
    throw new UsageError(
      "--via-function invokes the deployed Lambda function, which the emulator (moto_server) cannot run: against the emulator, list with --role-name instead",
    );
  if (scanOption)
    throw new UsageError(
      `--via-function runs the deployed function with the targets, regions and roles of its config: ${scanOption} cannot be combined with it`,
    );
  const arn = FUNCTION_ARN.exec(functionName);
  if (!arn && !FUNCTION_NAME.test(functionName))
    throw new UsageError(
      `--via-function takes a function name (such as ${INVENTORY_NAMES.functionName}) or a function ARN, got ${JSON.stringify(functionName)}`,
    );
  return { mode: "via-function", functionName, region: arn ? arn[1] : common.stsRegion, ...common };
}

function scanCommand(values: Map<Option, string>, common: CommonCommand): ScanCommand {
  const get = (option: Option) => values.get(option);
  const accounts = get("--accounts");
  const accountIds = accounts ? list("--accounts", accounts, ACCOUNT_ID, "12-digit account ids") : [];
  const ous = get("--ous");
  const organizationalUnitIds = ous
    ? list("--ous", ous, ORGANIZATIONAL_UNIT_ID, "OU ids (ou-xxxx-yyyyyyyy) or root ids (r-xxxx)")
    : [];
  if (accountIds.length + organizationalUnitIds.length === 0) throw new UsageError("give --accounts, --ous or both");
  const roleName = get("--role-name");
  if (roleName === undefined)
    throw new UsageError(
      `say which role to assume in each account: --role-name <a role that trusts you, such as OrganizationAccountAccessRole>, or run the deployed function with --via-function ${INVENTORY_NAMES.functionName} (the inventory's own role ${INVENTORY_DEFAULTS.roleName} trusts only that function's execution role)`,
    );
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName))
    throw new UsageError(`--role-name must be an IAM role name, got ${JSON.stringify(roleName)}`);
  const regionsValue = get("--regions") ?? ENABLED_REGIONS;
  const regions: RegionSelection =
    regionsValue === ENABLED_REGIONS
      ? ENABLED_REGIONS
      : list("--regions", regionsValue, REGION, `"${ENABLED_REGIONS}" or regions such as us-east-1,eu-west-1`);
  const organizationRoleArn = get("--organization-role-arn");
  if (
    organizationRoleArn !== undefined &&
    !/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(organizationRoleArn)
  ) {
    throw new UsageError(`--organization-role-arn must be an IAM role ARN, got ${JSON.stringify(organizationRoleArn)}`);
  }
  const endpoint = get("--endpoint");
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new UsageError(
      `--endpoint must be an http(s) URL such as http://127.0.0.1:5000, got ${JSON.stringify(endpoint)}`,
    );
  }
  const concurrency = get("--concurrency");
  const deadline = get("--deadline");
  return {
    mode: "scan",
    targets: { organizationalUnitIds, accountIds },
    regions,
    roleName,
    concurrency: concurrency
      ? wholeNumber("--concurrency", concurrency, 1, MAX_CONCURRENCY)
      : INVENTORY_DEFAULTS.concurrency,
    ...common,
    ...(organizationRoleArn ? { organizationRoleArn } : {}),
    ...(deadline !== undefined ? { deadlineSeconds: wholeNumber("--deadline", deadline, 1, 7 * 24 * 3600) } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

/** The command line as a typed command; throws {@link UsageError} naming the bad value and what is allowed. */
export function parseArguments(args: readonly string[], env: NodeJS.ProcessEnv = {}): InventoryCommand {
  const values = optionValues(args);
  const format = values.get("--format") ?? "table";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  }
  const runtime = values.get("--runtime");
  const runtimes =
    runtime === undefined
      ? undefined
      : list("--runtime", runtime, /^[a-z0-9.*?]+$/, "runtime patterns such as nodejs16.x or 'nodejs1*'");
  const stsRegion = values.get("--sts-region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  if (!REGION.test(stsRegion))
    throw new UsageError(`--sts-region must be a region such as us-east-1, got ${JSON.stringify(stsRegion)}`);
  const common: CommonCommand = { format: format as Format, ...(runtimes ? { runtimes } : {}), stsRegion };
  return values.has("--via-function") ? viaFunction(values, common) : scanCommand(values, common);
}
