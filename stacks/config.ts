import * as v from "valibot";
import { BULK_OBJECT_LAYOUTS, BulkObjectLayout, environmentBytes, RECORDS_PER_BATCH_OBJECT, writerEnvironment } from "../functions/writer/environment";

/** How a provider reaches its account. With neither field set, the default AWS credential chain is used. */
export interface AccountAccess {
  /** A named profile from the shared AWS config/credentials files. */
  readonly profile?: string;
  /** A role in the target account that the deploying identity assumes, e.g. OrganizationAccountAccessRole. */
  readonly deployRoleArn?: string;
}

export interface AccountConfig extends AccountAccess {
  /** The 12-digit AWS account id. */
  readonly accountId: string;
  /** The AWS region, e.g. us-east-1. */
  readonly region: string;
}

/**
 * What a destination's role may do: `write` puts items and objects; `read-write` also reads them back (GetItem,
 * BatchGetItem, Query on the table; GetObject and a prefix-limited ListBucket on the bucket).
 */
export type DestinationAccess = "write" | "read-write";

/** One account and region the writer writes to, with its own provider, role, table and bucket. */
export interface DestinationConfig extends AccountConfig {
  /** Names the destination in events, outputs and `npm run assume`. */
  readonly name: string;
  /** @default "write" */
  readonly access: DestinationAccess;
  /** @default "wd-ddb-table" */
  readonly tableName: string;
  /** @default "wd-records-<name>-<account>-<region>" ("wd-records-<account>-<region>" for the destination named "destination") */
  readonly bucketName: string;
  /** @default "assume-role-via-<source account>-<name>" ("assume-role-via-<source account>" for the destination named "destination") */
  readonly roleName: string;
  /** `sts:ExternalId` this destination's role requires: its own, else the config-wide one. @default - none */
  readonly externalId?: string;
  /** Principals besides the writer that may assume this destination's role: the config-wide ones, then its own. */
  readonly trustedPrincipals: readonly TrustedPrincipal[];
  /**
   * How a bulk event's records become objects in its bucket: `per-record` (`<prefix>/<uuid>.json` each) or
   * `per-batch` (JSON Lines, one object per 1,000 records). Its own, else the config-wide one. @default "per-record"
   */
  readonly bulkObjects: BulkObjectLayout;
}

export interface ResourceNames {
  /** Key prefix under which the writer puts objects, in every destination bucket. @default "records" */
  readonly bucketPrefix: string;
  /** @default "cross-account-write-to-<destination account>" (singular `destination`), "cross-account-writer" (`destinations`) */
  readonly writerRole: string;
  /** @default "cross-account-dynamodb-write" */
  readonly writerFunction: string;
}

/**
 * How the destination role's trust policy names the writer.
 * - `role-arn`: Principal is the writer role's ARN (re-creating that role breaks the trust until re-applied).
 * - `account-with-principal-arn`: Principal is the source account, restricted by `ArnEquals aws:PrincipalArn` to
 *   the writer role's ARN, so the trust survives re-creating the role.
 */
export type TrustMode = "role-arn" | "account-with-principal-arn";

export interface EmulatorConfig {
  /** Base URL of a local AWS emulator (moto_server) serving every service on one port. */
  readonly endpoint: string;
}

/** A principal other than the writer that may assume the destination role, e.g. an operator or an EC2 role. */
export interface TrustedPrincipal {
  /** Exact ARN of an IAM user or role. */
  readonly arn: string;
  /** Require MFA (`aws:MultiFactorAuthPresent`); IAM users only. @default false */
  readonly requireMfa?: boolean;
}

/** Where Terraform keeps the stack's state: an S3 bucket, with locking. */
export interface StateBackendConfig {
  readonly bucket: string;
  /** @default "cross-account/terraform.tfstate" */
  readonly key: string;
  readonly region: string;
  /** The account that holds the bucket; Terraform refuses credentials of any other account. */
  readonly accountId: string;
  /** A named profile that reaches the state account. */
  readonly profile?: string;
  /** A role in the state account to assume. @default - none (emulator: OrganizationAccountAccessRole) */
  readonly roleArn?: string;
  /** A DynamoDB table (LockID string key) for locks. @default - S3 native lock files (use_lockfile, Terraform >= 1.10) */
  readonly lockTable?: string;
}

export interface CrossAccountConfig {
  readonly source: AccountConfig;
  /** At least one; from `destination` (one, named "destination") or `destinations` in the config file. */
  readonly destinations: readonly DestinationConfig[];
  readonly names: ResourceNames;
  /** `sts:ExternalId` the destination role requires and the writer sends. @default - none (accounts you own) */
  readonly externalId?: string;
  /** `aws:PrincipalOrgID` the destination role requires of the caller. @default - none */
  readonly organizationId?: string;
  /** @default "role-arn" */
  readonly trustMode: TrustMode;
  /** MaxSessionDuration of the destination role, 3600-43200 s. @default 3600 */
  readonly maxSessionDurationSeconds: number;
  /** Session the writer asks for: role chaining caps it at 3600 s. @default 3600 */
  readonly writerSessionDurationSeconds: number;
  /** Retention of the writer's log group, one of CloudWatch's allowed values. @default 30 */
  readonly logRetentionDays: number;
  /** X-Ray active tracing for the writer. @default true */
  readonly tracing: boolean;
  /**
   * Let `destroy` delete the table and the bucket with their data (turns off deletion protection and sets
   * force_destroy). Deliberately an opt-in. @default false
   */
  readonly allowDataDeletion: boolean;
  /** Deploy into a local emulator instead of AWS. @default - real AWS */
  readonly emulator?: EmulatorConfig;
  /** Remote state in S3 with locking. @default - local state (terraform.cross-account.tfstate) */
  readonly stateBackend?: StateBackendConfig;
}

/** The example accounts of the embedded default: they exist only in the local emulator. */
export const EXAMPLE_SOURCE_ACCOUNT_ID = "111111111111";
export const EXAMPLE_DESTINATION_ACCOUNT_ID = "222222222222";
export const DEFAULT_EMULATOR_ENDPOINT = "http://127.0.0.1:5000";
/** Name of the one destination of the singular `destination` form; it keeps that form's resource ids and names. */
export const DEFAULT_DESTINATION_NAME = "destination";
/** Destinations one stack may have: the writer carries all of them in its 4 KB Lambda environment. */
export const MAX_DESTINATIONS = 10;
/** Lambda's limit on all environment variables of a function together. */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;
export const MAX_CHAINED_SESSION_SECONDS = 3600;

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

// Regions of the commercial "aws" partition (us-east-1, eu-central-2, ap-southeast-4, ...): the ARNs the stack
// writes (account roots, emulator roles) are aws-partition ARNs, so China and GovCloud are refused.
const REGION_PATTERN = /^(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;
const ACCOUNT_ID_PATTERN = /^\d{12}$/;
const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN_PATTERN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;
const FUNCTION_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
const TABLE_NAME_PATTERN = /^[a-zA-Z0-9_.-]{3,255}$/;
const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX_PATTERN = /^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/;
const EXTERNAL_ID_PATTERN = /^[\w+=,.@:\/-]{2,1224}$/;
const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

const got = (input: unknown) => `got ${JSON.stringify(input)}`;

function pattern(regex: RegExp, allowed: string) {
  return v.pipe(
    v.string((issue) => `must be a string (${allowed}), ${got(issue.input)}`),
    v.regex(regex, (issue) => `must be ${allowed}, ${got(issue.input)}`),
  );
}

/**
 * An object that refuses unknown keys, listing them with the allowed ones. A missing required key is reported as
 * "is required".
 */
function strictObject<const TEntries extends v.ObjectEntries>(entries: TEntries) {
  return v.strictObject(entries, (issue) => {
    if (issue.expected === "never") {
      const input = issue.path?.at(-1)?.input as Record<string, unknown>;
      const unknown = Object.keys(input).filter((key) => !Object.hasOwn(entries, key));
      return `has unknown keys ${unknown.map((key) => JSON.stringify(key)).join(", ")}; allowed: ${Object.keys(entries).join(", ")}`;
    }
    return issue.input === undefined && issue.path !== undefined ? "is required" : `must be a JSON object, ${got(issue.input)}`;
  });
}

const bucketName = v.pipe(
  pattern(BUCKET_NAME_PATTERN, "3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit"),
  v.check((name) => !/\.\.|\.-|-\./.test(name) && !/^\d+\.\d+\.\d+\.\d+$/.test(name) && !name.startsWith("xn--") && !/-s3alias$|--ol-s3$|--x-s3$/.test(name),
    (issue) => `must be a valid S3 bucket name (no "..", ".-" or "-.", not an IP address, no reserved prefix or suffix), ${got(issue.input)}`),
);

const accountEntries = {
  accountId: pattern(ACCOUNT_ID_PATTERN, "a 12-digit AWS account id"),
  region: pattern(REGION_PATTERN, "an AWS region name of the aws partition such as us-east-1 or eu-central-1 (China and GovCloud are not supported)"),
  profile: v.optional(pattern(/^[\w+=,.@-]{1,128}$/, "a profile name from ~/.aws/config")),
  deployRoleArn: v.optional(pattern(ROLE_ARN_PATTERN, "an IAM role ARN such as arn:aws:iam::123456789012:role/OrganizationAccountAccessRole")),
};

const namesSchema = strictObject({
  table: v.optional(pattern(TABLE_NAME_PATTERN, "a DynamoDB table name of 3-255 letters, digits, '_', '-' or '.'")),
  bucket: v.optional(bucketName),
  bucketPrefix: v.optional(pattern(PREFIX_PATTERN, "an S3 key prefix of path segments without leading or trailing '/', e.g. records or data/in")),
  destinationRole: v.optional(pattern(ROLE_NAME_PATTERN, "an IAM role name of 1-64 letters, digits and +=,.@_-")),
  writerRole: v.optional(pattern(ROLE_NAME_PATTERN, "an IAM role name of 1-64 letters, digits and +=,.@_-")),
  writerFunction: v.optional(pattern(FUNCTION_NAME_PATTERN, "a Lambda function name of 1-64 letters, digits, '-' or '_'")),
});

const boolean = v.boolean((issue) => `must be true or false, ${got(issue.input)}`);

const trustedPrincipals = v.pipe(
  v.array(strictObject({
    arn: pattern(/^arn:aws:iam::\d{12}:(user|role)\/[\w+=,.@\/-]{1,512}$/, "the exact ARN of an IAM user or role (not an account root), e.g. arn:aws:iam::123456789012:user/alice"),
    requireMfa: v.optional(boolean),
  }), (issue) => `must be an array of { arn, requireMfa? }, ${got(issue.input)}`),
  v.maxLength(20, "must name at most 20 principals"),
);

const externalId = pattern(EXTERNAL_ID_PATTERN, "2-1224 characters of letters, digits and +=,.@:/-");

const bulkObjects = v.picklist(BULK_OBJECT_LAYOUTS,
  (issue) => `must be ${BULK_OBJECT_LAYOUTS.map((layout) => JSON.stringify(layout)).join(" or ")} (a bulk event's records as one object each, or as JSON Lines objects of ${RECORDS_PER_BATCH_OBJECT.toLocaleString("en-US")} records), ${got(issue.input)}`);

const access = v.picklist(["write", "read-write"], (issue) => `must be "write" or "read-write", ${got(issue.input)}`);

const destinationEntries = { ...accountEntries, access: v.optional(access) };

const namedDestinationSchema = strictObject({
  ...destinationEntries,
  name: pattern(/^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/, "1-20 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, e.g. analytics-eu"),
  table: v.optional(pattern(TABLE_NAME_PATTERN, "a DynamoDB table name of 3-255 letters, digits, '_', '-' or '.'")),
  bucket: v.optional(bucketName),
  role: v.optional(pattern(ROLE_NAME_PATTERN, "an IAM role name of 1-64 letters, digits and +=,.@_-")),
  trustedPrincipals: v.optional(trustedPrincipals),
  externalId: v.optional(externalId),
  bulkObjects: v.optional(bulkObjects),
});

function integerIn(min: number, max: number, what: string) {
  const message = (issue: { input: unknown }) => `must be a whole number of ${what} from ${min} to ${max}, ${got(issue.input)}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
}

const retentionMessage = (issue: { input: unknown }) => `must be one of CloudWatch's retention values ${LOG_RETENTION_DAYS.join(", ")}, ${got(issue.input)}`;

/** The shape of a user's config file: everything but the accounts is optional. */
export const configFileSchema = strictObject({
  source: strictObject(accountEntries),
  /** One destination; or use `destinations` for several. */
  destination: v.optional(strictObject(destinationEntries)),
  destinations: v.optional(v.pipe(
    v.array(namedDestinationSchema, (issue) => `must be an array of { name, accountId, region, access?, ... }, ${got(issue.input)}`),
    v.minLength(1, "must name at least one destination"),
    v.maxLength(MAX_DESTINATIONS, (issue) => `must name at most ${MAX_DESTINATIONS} destinations, got ${(issue.input as unknown[]).length}`),
  )),
  names: v.optional(namesSchema),
  externalId: v.optional(externalId),
  bulkObjects: v.optional(bulkObjects),
  organizationId: v.optional(pattern(ORGANIZATION_ID_PATTERN, "an AWS Organizations id such as o-a1b2c3d4e5")),
  trustMode: v.optional(v.picklist(["role-arn", "account-with-principal-arn"], (issue) => `must be "role-arn" or "account-with-principal-arn", ${got(issue.input)}`)),
  trustedPrincipals: v.optional(trustedPrincipals),
  maxSessionDurationSeconds: v.optional(integerIn(3600, 43200, "seconds (1-12 hours)")),
  writerSessionDurationSeconds: v.optional(integerIn(900, MAX_CHAINED_SESSION_SECONDS, "seconds (role chaining allows at most 1 hour)")),
  logRetentionDays: v.optional(v.pipe(v.number(retentionMessage), v.check((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), retentionMessage))),
  tracing: v.optional(boolean),
  allowDataDeletion: v.optional(boolean),
  stateBackend: v.optional(strictObject({
    bucket: bucketName,
    key: v.optional(pattern(/^[\w!\-.*'()/]{1,1024}$/, "an S3 key such as cross-account/terraform.tfstate")),
    region: pattern(REGION_PATTERN, "an AWS region name of the aws partition such as us-east-1"),
    accountId: pattern(ACCOUNT_ID_PATTERN, "a 12-digit AWS account id"),
    profile: v.optional(pattern(/^[\w+=,.@-]{1,128}$/, "a profile name from ~/.aws/config")),
    roleArn: v.optional(pattern(ROLE_ARN_PATTERN, "an IAM role ARN such as arn:aws:iam::123456789012:role/TerraformState")),
    lockTable: v.optional(pattern(TABLE_NAME_PATTERN, "a DynamoDB table name of 3-255 letters, digits, '_', '-' or '.'")),
  })),
  emulator: v.optional(strictObject({
    endpoint: v.pipe(
      v.string((issue) => `must be an http(s) URL such as ${DEFAULT_EMULATOR_ENDPOINT}, ${got(issue.input)}`),
      v.check((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), (issue) => `must be an http(s) URL such as ${DEFAULT_EMULATOR_ENDPOINT}, ${got(issue.input)}`),
    ),
  })),
});

export type CrossAccountConfigInput = v.InferInput<typeof configFileSchema>;

/** The embedded default: two example accounts in a local emulator, so it runs with no AWS account at all. */
export const EXAMPLE_CONFIG: CrossAccountConfigInput = {
  source: { accountId: EXAMPLE_SOURCE_ACCOUNT_ID, region: "us-east-1" },
  destination: { accountId: EXAMPLE_DESTINATION_ACCOUNT_ID, region: "us-east-1" },
  emulator: { endpoint: DEFAULT_EMULATOR_ENDPOINT },
};

/** Thrown for any invalid config; the message lists every problem with its path and value. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid cross-account config:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function describePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "config" : path.map(String).join(".");
}

type ConfigFile = v.InferOutput<typeof configFileSchema>;

/** The destinations of a config file with their defaults: the singular `destination` is the one named "destination". */
function destinationsOf(file: ConfigFile): DestinationConfig[] {
  const entries = file.destinations ?? (file.destination ? [{ ...file.destination, name: DEFAULT_DESTINATION_NAME }] : []);
  return entries.map((entry) => {
    // The destination named "destination" keeps the singular form's names.
    const named = entry.name === DEFAULT_DESTINATION_NAME;
    const externalId = ("externalId" in entry ? entry.externalId : undefined) ?? file.externalId;
    const custom: { table?: string; bucket?: string; role?: string } = file.destinations
      ? entry
      : { table: file.names?.table, bucket: file.names?.bucket, role: file.names?.destinationRole };
    return {
      name: entry.name,
      accountId: entry.accountId,
      region: entry.region,
      ...(entry.profile !== undefined ? { profile: entry.profile } : {}),
      ...(entry.deployRoleArn !== undefined ? { deployRoleArn: entry.deployRoleArn } : {}),
      access: entry.access ?? "write",
      tableName: custom.table ?? "wd-ddb-table",
      bucketName: custom.bucket ?? (named ? `wd-records-${entry.accountId}-${entry.region}` : `wd-records-${entry.name}-${entry.accountId}-${entry.region}`),
      roleName: custom.role ?? (named ? `assume-role-via-${file.source.accountId}` : `assume-role-via-${file.source.accountId}-${entry.name}`),
      trustedPrincipals: [...(file.trustedPrincipals ?? []), ...("trustedPrincipals" in entry ? entry.trustedPrincipals ?? [] : [])],
      ...(externalId !== undefined ? { externalId } : {}),
      bulkObjects: ("bulkObjects" in entry ? entry.bulkObjects : undefined) ?? file.bulkObjects ?? "per-record",
    };
  });
}

/** Names that must be unique among destinations: their own, roles per account, tables per region, buckets anywhere. */
function repeatedNames(destinations: readonly DestinationConfig[]): string[] {
  const rules: [string, (d: DestinationConfig) => string, (d: DestinationConfig) => string][] = [
    ["name", (d) => d.name, (d) => `repeats the name "${d.name}"`],
    ["role", (d) => `${d.accountId}/${d.roleName}`, (d) => `repeats role name "${d.roleName}" in account ${d.accountId} (IAM names are per account): set role`],
    ["table", (d) => `${d.accountId}/${d.region}/${d.tableName}`, (d) => `repeats table name "${d.tableName}" in ${d.accountId} ${d.region}: set table`],
    ["bucket", (d) => d.bucketName, (d) => `repeats bucket name "${d.bucketName}" (bucket names are global): set bucket`],
  ];
  return rules.flatMap(([key, identity, describe]) => {
    const first = new Map<string, number>();
    return destinations.flatMap((destination, index) => {
      const earlier = first.get(identity(destination));
      if (earlier === undefined) {
        first.set(identity(destination), index);
        return [];
      }
      return [`destinations.${index}.${key} ${describe(destination)} of destinations.${earlier}`];
    });
  });
}

/** Validates raw input (parsed JSON) and fills in defaults. Throws {@link ConfigError} listing every problem. */
export function resolveConfig(input: unknown): CrossAccountConfig {
  // One problem per value: a pipe stops at its first failing check.
  const parsed = v.safeParse(configFileSchema, input, { abortPipeEarly: true });
  if (!parsed.success) {
    throw new ConfigError(parsed.issues.map((issue) => {
      const path = (issue.path ?? []).map((item) => item.key as PropertyKey);
      // An unknown key's issue carries that key as the last path item: name the object it is in.
      const where = issue.type === "strict_object" && issue.expected === "never" ? path.slice(0, -1) : path;
      return `${describePath(where)} ${issue.message}`;
    }));
  }
  const file = parsed.output;
  const problems: string[] = [];
  if (file.destination && file.destinations) {
    problems.push(`give either destination (one) or destinations (several), not both`);
  } else if (!file.destination && !file.destinations) {
    problems.push(`destination (one) or destinations (several) is required`);
  }
  if (file.destinations) {
    for (const name of ["table", "bucket", "destinationRole"] as const) {
      if (file.names?.[name] !== undefined) {
        problems.push(`names.${name} applies to the singular destination; with destinations set ${name === "destinationRole" ? "role" : name} on each destination, got ${JSON.stringify(file.names[name])}`);
      }
    }
  }
  const destinations = destinationsOf(file);
  const field = (index: number, key: string) => (file.destinations ? `destinations.${index}.${key}` : `destination.${key}`);
  problems.push(...repeatedNames(destinations));
  destinations.forEach((destination, index) => {
    if (destination.accountId === file.source.accountId) {
      problems.push(`${field(index, "accountId")} must differ from source.accountId (cross-account), both are "${file.source.accountId}"`);
    }
    const roleAccount = destination.deployRoleArn?.split(":")[4];
    if (roleAccount && roleAccount !== destination.accountId) {
      problems.push(`${field(index, "deployRoleArn")} must be a role in destination account ${destination.accountId}, got "${destination.deployRoleArn}"`);
    }
  });
  const sourceRoleAccount = file.source.deployRoleArn?.split(":")[4];
  if (sourceRoleAccount && sourceRoleAccount !== file.source.accountId) {
    problems.push(`source.deployRoleArn must be a role in source account ${file.source.accountId}, got "${file.source.deployRoleArn}"`);
  }
  const principalLists: [string, readonly TrustedPrincipal[]][] = [
    ["trustedPrincipals", file.trustedPrincipals ?? []],
    ...(file.destinations ?? []).map((entry, index): [string, readonly TrustedPrincipal[]] => [`destinations.${index}.trustedPrincipals`, entry.trustedPrincipals ?? []]),
  ];
  for (const [where, principals] of principalLists) {
    principals.forEach((principal, index) => {
      if (principal.requireMfa && !principal.arn.includes(":user/")) {
        problems.push(`${where}.${index}.requireMfa applies to IAM users only (a role's session carries no MFA of its own), got "${principal.arn}"`);
      }
    });
  }
  destinations.forEach((destination, index) => {
    const where = file.destinations ? `destinations.${index}.trustedPrincipals with the config-wide trustedPrincipals` : "trustedPrincipals";
    const arns = destination.trustedPrincipals.map((principal) => principal.arn);
    const repeated = [...new Set(arns.filter((arn, position) => arns.indexOf(arn) !== position))];
    if (repeated.length > 0) problems.push(`${where} name ${repeated.map((arn) => `"${arn}"`).join(", ")} more than once`);
    if (arns.length > 20) problems.push(`${where} name ${arns.length} principals, at most 20 are allowed`);
  });
  const stateRoleAccount = file.stateBackend?.roleArn?.split(":")[4];
  if (file.stateBackend && stateRoleAccount && stateRoleAccount !== file.stateBackend.accountId) {
    problems.push(`stateBackend.roleArn must be a role in the state account ${file.stateBackend.accountId}, got "${file.stateBackend.roleArn}"`);
  }
  const maxSession = file.maxSessionDurationSeconds ?? 3600;
  const writerSession = file.writerSessionDurationSeconds ?? MAX_CHAINED_SESSION_SECONDS;
  if (writerSession > maxSession) {
    problems.push(`writerSessionDurationSeconds (${writerSession}) must not exceed maxSessionDurationSeconds (${maxSession})`);
  }
  const names: ResourceNames = {
    bucketPrefix: file.names?.bucketPrefix ?? "records",
    writerRole: file.names?.writerRole ?? (file.destinations ? "cross-account-writer" : `cross-account-write-to-${destinations[0]?.accountId}`),
    writerFunction: file.names?.writerFunction ?? "cross-account-dynamodb-write",
  };
  const environment = writerEnvironment({
    destinations: destinations.map((destination) => ({ ...destination, roleArn: `arn:aws:iam::${destination.accountId}:role/${destination.roleName}` })),
    bucketPrefix: names.bucketPrefix,
    stsRegion: file.source.region,
    roleSessionName: names.writerFunction,
    sessionDurationSeconds: writerSession,
    externalId: file.externalId,
  });
  if (environmentBytes(environment) > LAMBDA_ENVIRONMENT_BYTES) {
    problems.push(`destinations need ${environmentBytes(environment)} bytes of the writer's environment, Lambda allows ${LAMBDA_ENVIRONMENT_BYTES}: use fewer destinations or shorter table, bucket and role names (a destination's own externalId and a per-batch bulkObjects count too)`);
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }

  return {
    source: file.source,
    destinations,
    names,
    externalId: file.externalId,
    organizationId: file.organizationId,
    trustMode: file.trustMode ?? "role-arn",
    maxSessionDurationSeconds: maxSession,
    writerSessionDurationSeconds: writerSession,
    logRetentionDays: file.logRetentionDays ?? 30,
    tracing: file.tracing ?? true,
    allowDataDeletion: file.allowDataDeletion ?? false,
    emulator: file.emulator,
    stateBackend: file.stateBackend && { ...file.stateBackend, key: file.stateBackend.key ?? "cross-account/terraform.tfstate" },
  };
}

/** Whether a destination is the one of the singular config form, which keeps that form's names and ids. */
export function keepsSingularForm(destination: { readonly name: string }): boolean {
  return destination.name === DEFAULT_DESTINATION_NAME;
}
