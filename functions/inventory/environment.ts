export { environmentBytes, LAMBDA_ENVIRONMENT_BYTES } from "../shared/environment";

/** Environment variables the stack gives the inventory Lambda: the contract between `stacks/` and `functions/`. */
export const INVENTORY_ENVIRONMENT = {
  targets: "TARGETS",
  regions: "REGIONS",
  roleName: "ROLE_NAME",
  organizationRoleArn: "ORGANIZATION_ROLE_ARN",
  reportBucket: "REPORT_BUCKET",
  reportPrefix: "REPORT_PREFIX",
  concurrency: "CONCURRENCY",
  stsRegion: "STS_REGION",
  deadlineMarginSeconds: "DEADLINE_MARGIN_SECONDS",
} as const;

export type InventorySettingName = keyof typeof INVENTORY_ENVIRONMENT;

/** The `REGIONS` value that scans every region enabled in each account (ec2:DescribeRegions). */
export const ENABLED_REGIONS = "enabled";
/** `"enabled"`, or the regions to scan in every account. */
export type RegionSelection = typeof ENABLED_REGIONS | readonly string[];

/** Which accounts to scan: the ACTIVE members of these OUs (and their child OUs), plus these accounts. */
export interface InventoryTargets {
  /** OU ids (`ou-...`) or the root id (`r-...`). */
  readonly organizationalUnitIds: readonly string[];
  /** 12-digit account ids, scanned whether or not they are in an OU above. */
  readonly accountIds: readonly string[];
}

export const INVENTORY_DEFAULTS = {
  regions: ENABLED_REGIONS as RegionSelection,
  roleName: "CrossAccountListFunctionsRole",
  reportPrefix: "inventory",
  concurrency: 8,
  deadlineMarginSeconds: 30,
};
export const MAX_CONCURRENCY = 64;
export const MAX_DEADLINE_MARGIN_SECONDS = 600;

export interface InventorySettings {
  readonly targets: InventoryTargets;
  /** @default "enabled" */
  readonly regions: RegionSelection;
  /** The role assumed in every target account. @default "CrossAccountListFunctionsRole" */
  readonly roleName: string;
  /** Read-only role in the management account that lists accounts; required with organizationalUnitIds. */
  readonly organizationRoleArn?: string;
  readonly reportBucket: string;
  /** @default "inventory" */
  readonly reportPrefix: string;
  /** Account-region pairs scanned at once. @default 8 */
  readonly concurrency: number;
  readonly stsRegion: string;
  /** The run stops starting work this long before the function's timeout, to write the report. @default 30 */
  readonly deadlineMarginSeconds: number;
}

type Defaulted = keyof typeof INVENTORY_DEFAULTS | "deadlineMarginSeconds";
/** What the stack gives: settings whose defaults may be left out. */
export type InventorySettingsInput = Omit<InventorySettings, Defaulted> & Partial<Pick<InventorySettings, Defaulted>>;

/**
 * The environment that carries these settings. The stack passes Terraform references inside the strings, so
 * nothing is validated here: the Lambda's decoder checks the resolved values.
 * TARGETS is `{"organizationalUnitIds":["ou-..."],"accountIds":["123456789012"]}`; REGIONS is `enabled` or a
 * JSON array such as `["us-east-1","eu-west-1"]`.
 */
export function inventoryEnvironment(settings: InventorySettingsInput): Record<string, string> {
  const { targets, regions } = settings;
  const values: Record<InventorySettingName, string | undefined> = {
    targets: JSON.stringify({ organizationalUnitIds: targets.organizationalUnitIds, accountIds: targets.accountIds }),
    regions: regions === undefined || regions === ENABLED_REGIONS ? undefined : JSON.stringify(regions),
    roleName: settings.roleName,
    organizationRoleArn: settings.organizationRoleArn,
    reportBucket: settings.reportBucket,
    reportPrefix: settings.reportPrefix,
    concurrency: settings.concurrency === undefined ? undefined : String(settings.concurrency),
    stsRegion: settings.stsRegion,
    deadlineMarginSeconds:
      settings.deadlineMarginSeconds === undefined ? undefined : String(settings.deadlineMarginSeconds),
  };
  return Object.fromEntries(
    Object.entries(values)
      .filter((entry): entry is [InventorySettingName, string] => entry[1] !== undefined)
      .map(([name, value]) => [INVENTORY_ENVIRONMENT[name], value]),
  );
}

export const ACCOUNT_ID = /^\d{12}$/;
export const ORGANIZATIONAL_UNIT_ID = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Thrown for a missing or malformed setting; the message names the variable, the value and what is allowed. */
export class InventorySettingsError extends Error {
  override readonly name = "InventorySettingsError";
}

function parseJson(variable: string, value: string, shape: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new InventorySettingsError(`${variable} must be ${shape}, got ${JSON.stringify(value.slice(0, 80))}`);
  }
}

function idList(variable: string, field: string, value: unknown, pattern: RegExp, what: string): string[] {
  if (!Array.isArray(value) || value.some((id) => typeof id !== "string" || !pattern.test(id))) {
    const bad = Array.isArray(value) ? value.find((id) => typeof id !== "string" || !pattern.test(id)) : value;
    throw new InventorySettingsError(`${variable}.${field} must be an array of ${what}, got ${JSON.stringify(bad)}`);
  }
  return value as string[];
}

function integer(variable: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new InventorySettingsError(
      `${variable} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

/** The targets of a TARGETS value; exported for the CLI, which takes the same lists from its arguments. */
export function parseTargets(variable: string, value: unknown): InventoryTargets {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InventorySettingsError(
      `${variable} must be a JSON object {"organizationalUnitIds":[...],"accountIds":[...]}`,
    );
  }
  const { organizationalUnitIds = [], accountIds = [], ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new InventorySettingsError(
      `${variable} has unknown fields ${unknown.join(", ")}; allowed: organizationalUnitIds, accountIds`,
    );
  }
  const targets = {
    organizationalUnitIds: idList(
      variable,
      "organizationalUnitIds",
      organizationalUnitIds,
      ORGANIZATIONAL_UNIT_ID,
      "OU ids (ou-xxxx-yyyyyyyy) or root ids (r-xxxx)",
    ),
    accountIds: idList(variable, "accountIds", accountIds, ACCOUNT_ID, "12-digit account ids"),
  };
  if (targets.organizationalUnitIds.length + targets.accountIds.length === 0) {
    throw new InventorySettingsError(`${variable} names no OU and no account: give at least one`);
  }
  return targets;
}

/** Reads the inventory's settings from an environment; a missing or malformed variable is named in the error. */
export function readInventorySettings(env: NodeJS.ProcessEnv): InventorySettings {
  const variable = (name: InventorySettingName) => INVENTORY_ENVIRONMENT[name];
  const missing = (["targets", "reportBucket", "stsRegion"] as const).map(variable).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new InventorySettingsError(
      `inventory is missing environment variables ${missing.join(", ")}; deploy it with the cdktf stack, which sets them`,
    );
  }
  const read = (name: InventorySettingName) => env[variable(name)] || undefined;
  const targets = parseTargets(
    variable("targets"),
    parseJson(variable("targets"), read("targets") ?? "", "a JSON object"),
  );

  const regionsValue = read("regions") ?? ENABLED_REGIONS;
  const regions =
    regionsValue === ENABLED_REGIONS
      ? ENABLED_REGIONS
      : idList(
          variable("regions"),
          "[]",
          parseJson(variable("regions"), regionsValue, `"${ENABLED_REGIONS}" or a JSON array of regions`),
          REGION,
          "region names such as us-east-1",
        );
  if (regions !== ENABLED_REGIONS && regions.length === 0)
    throw new InventorySettingsError(`${variable("regions")} is an empty array; give regions or "${ENABLED_REGIONS}"`);

  const roleName = read("roleName") ?? INVENTORY_DEFAULTS.roleName;
  if (!ROLE_NAME.test(roleName))
    throw new InventorySettingsError(
      `${variable("roleName")} must be an IAM role name, got ${JSON.stringify(roleName)}`,
    );
  const organizationRoleArn = read("organizationRoleArn");
  if (organizationRoleArn !== undefined && !ROLE_ARN.test(organizationRoleArn)) {
    throw new InventorySettingsError(
      `${variable("organizationRoleArn")} must be an IAM role ARN, got ${JSON.stringify(organizationRoleArn)}`,
    );
  }
  if (organizationRoleArn === undefined && targets.organizationalUnitIds.length > 0) {
    throw new InventorySettingsError(
      `${variable("organizationRoleArn")} is required to list the accounts of ${targets.organizationalUnitIds.join(", ")}`,
    );
  }
  const stsRegion = read("stsRegion") ?? "";
  if (!REGION.test(stsRegion))
    throw new InventorySettingsError(
      `${variable("stsRegion")} must be a region such as us-east-1, got ${JSON.stringify(stsRegion)}`,
    );
  return {
    targets,
    regions,
    roleName,
    ...(organizationRoleArn !== undefined ? { organizationRoleArn } : {}),
    reportBucket: read("reportBucket") ?? "",
    reportPrefix: (read("reportPrefix") ?? INVENTORY_DEFAULTS.reportPrefix).replace(/^\/+|\/+$/g, ""),
    concurrency: integer(
      variable("concurrency"),
      read("concurrency"),
      INVENTORY_DEFAULTS.concurrency,
      1,
      MAX_CONCURRENCY,
    ),
    stsRegion,
    deadlineMarginSeconds: integer(
      variable("deadlineMarginSeconds"),
      read("deadlineMarginSeconds"),
      INVENTORY_DEFAULTS.deadlineMarginSeconds,
      0,
      MAX_DEADLINE_MARGIN_SECONDS,
    ),
  };
}
