import * as v from "valibot";
import { BULK_OBJECT_LAYOUTS, RECORDS_PER_BATCH_OBJECT } from "../../functions/writer/environment";
import {
  LOG_RETENTION_DAYS,
  MAX_ROLE_TRUST_POLICY_CHARS,
  MAX_TRUSTED_PRINCIPALS,
  ROLE_TRUST_POLICY_CHARS,
} from "./limits";

// Regions of the commercial "aws" partition (us-east-1, eu-central-2, ap-southeast-4, ...): the ARNs the stack
// writes (account roots, emulator roles) are aws-partition ARNs, so China and GovCloud are refused.
const REGION_PATTERN =
  /^(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;
const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The end of every message: the bad value as JSON. */
export const got = (input: unknown) => `got ${JSON.stringify(input)}`;

/** A string matching `regex`; `allowed` describes what matches, for both the type and the pattern message. */
export function pattern(regex: RegExp, allowed: string) {
  return v.pipe(
    v.string((issue) => `must be a string (${allowed}), ${got(issue.input)}`),
    v.regex(regex, (issue) => `must be ${allowed}, ${got(issue.input)}`),
  );
}

/** One of `values`; `meaning` (in parentheses after them) says what they stand for. */
export function oneOf<const TValues extends readonly string[]>(values: TValues, meaning?: string) {
  const allowed = values.map((value) => JSON.stringify(value)).join(" or ");
  return v.picklist(values, (issue) => `must be ${allowed}${meaning ? ` (${meaning})` : ""}, ${got(issue.input)}`);
}

/**
 * An object that refuses unknown keys, listing them with the allowed ones. A missing required key is reported as
 * "is required".
 */
export function strictObject<const TEntries extends v.ObjectEntries>(entries: TEntries) {
  return v.strictObject(entries, (issue) => {
    if (issue.expected === "never") {
      const input = issue.path?.at(-1)?.input as Record<string, unknown>;
      const unknown = Object.keys(input).filter((key) => !Object.hasOwn(entries, key));
      const listed = unknown.map((key) => JSON.stringify(key)).join(", ");
      return `has unknown keys ${listed}; allowed: ${Object.keys(entries).join(", ")}`;
    }
    const isMissing = issue.input === undefined && issue.path !== undefined;
    return isMissing ? "is required" : `must be a JSON object, ${got(issue.input)}`;
  });
}

export const accountId = pattern(/^\d{12}$/, "a 12-digit AWS account id");

export const region = pattern(
  REGION_PATTERN,
  "an AWS region name of the aws partition such as us-east-1 or eu-central-1 (China and GovCloud are not supported)",
);

export const profile = pattern(/^[\w+=,.@-]{1,128}$/, "a profile name from ~/.aws/config");

/** An IAM role ARN; `exampleName` is the role name the message shows, e.g. OrganizationAccountAccessRole. */
export function roleArn(exampleName: string) {
  return pattern(
    /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    `an IAM role ARN such as arn:aws:iam::123456789012:role/${exampleName}`,
  );
}

export const roleName = pattern(/^[\w+=,.@-]{1,64}$/, "an IAM role name of 1-64 letters, digits and +=,.@_-");

export const tableName = pattern(
  /^[a-zA-Z0-9_.-]{3,255}$/,
  "a DynamoDB table name of 3-255 letters, digits, '_', '-' or '.'",
);

export const bucketName = v.pipe(
  pattern(
    BUCKET_NAME_PATTERN,
    "3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
  ),
  v.check(
    (name) =>
      !/\.\.|\.-|-\./.test(name) &&
      !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
      !name.startsWith("xn--") &&
      !/-s3alias$|--ol-s3$|--x-s3$/.test(name),
    (issue) =>
      'must be a valid S3 bucket name (no "..", ".-" or "-.", not an IP address, no reserved prefix ' +
      `or suffix), ${got(issue.input)}`,
  ),
);

export const bucketPrefix = pattern(
  /^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/,
  "an S3 key prefix of path segments without leading or trailing '/', e.g. records or data/in",
);

export const objectKey = pattern(/^[\w!\-.*'()/]{1,1024}$/, "an S3 key such as cross-account/terraform.tfstate");

export const functionName = pattern(
  /^[a-zA-Z0-9_-]{1,64}$/,
  "a Lambda function name of 1-64 letters, digits, '-' or '_'",
);

export const destinationName = pattern(
  /^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/,
  "1-20 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, e.g. analytics-eu",
);

export const externalId = pattern(/^[\w+=,.@:/-]{2,1224}$/, "2-1224 characters of letters, digits and +=,.@:/-");

export const organizationId = pattern(/^o-[a-z0-9]{10,32}$/, "an AWS Organizations id such as o-a1b2c3d4e5");

export const boolean = v.boolean((issue) => `must be true or false, ${got(issue.input)}`);

export const access = oneOf(["write", "read-write"]);

export const trustMode = oneOf(["role-arn", "account-with-principal-arn"]);

export const bulkObjects = oneOf(
  BULK_OBJECT_LAYOUTS,
  "a bulk event's records as one object each, or as JSON Lines " +
    `objects of ${RECORDS_PER_BATCH_OBJECT.toLocaleString("en-US")} records`,
);

export const trustedPrincipals = v.pipe(
  v.array(
    strictObject({
      arn: pattern(
        /^arn:aws:iam::\d{12}:(user|role)\/[\w+=,.@/-]{1,512}$/,
        "the exact ARN of an IAM user or role (not an account root), e.g. arn:aws:iam::123456789012:user/alice",
      ),
      requireMfa: v.optional(boolean),
    }),
    (issue) => `must be an array of { arn, requireMfa? }, ${got(issue.input)}`,
  ),
  v.maxLength(MAX_TRUSTED_PRINCIPALS, `must name at most ${MAX_TRUSTED_PRINCIPALS} principals`),
);

/** A session length in whole seconds from `min` to `max`; `limit` says where the bounds come from. */
export function sessionSeconds(min: number, max: number, limit: string) {
  const message = (issue: { input: unknown }) =>
    `must be a whole number of seconds (${limit}) from ${min} to ${max}, ${got(issue.input)}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
}

const trustQuotaMessage = (issue: { input: unknown }) =>
  `must be the role trust policy quota of your accounts in characters (AssumeRolePolicySizeQuota of \`aws iam ` +
  `get-account-summary\`), a whole number from ${ROLE_TRUST_POLICY_CHARS} (IAM's default) to ` +
  `${MAX_ROLE_TRUST_POLICY_CHARS} (the most it can be raised to), ${got(issue.input)}`;

/** A role trust policy quota raised through Service Quotas. */
export const roleTrustPolicyQuota = v.pipe(
  v.number(trustQuotaMessage),
  v.integer(trustQuotaMessage),
  v.minValue(ROLE_TRUST_POLICY_CHARS, trustQuotaMessage),
  v.maxValue(MAX_ROLE_TRUST_POLICY_CHARS, trustQuotaMessage),
);

const retentionMessage = (issue: { input: unknown }) =>
  `must be one of CloudWatch's retention values ${LOG_RETENTION_DAYS.join(", ")}, ${got(issue.input)}`;

export const logRetentionDays = v.pipe(
  v.number(retentionMessage),
  v.check((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), retentionMessage),
);

/** Where the emulator listens unless the config says otherwise (moto_server's default port). */
export const DEFAULT_EMULATOR_ENDPOINT = "http://127.0.0.1:5000";

const endpointMessage = (issue: { input: unknown }) =>
  `must be an http(s) URL such as ${DEFAULT_EMULATOR_ENDPOINT}, ${got(issue.input)}`;

export const emulatorEndpoint = v.pipe(
  v.string(endpointMessage),
  v.check((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), endpointMessage),
);

/**
 * The account that holds an organization's StackSets (the management account or a delegated administrator), as the
 * inventory and the organization writer name it: `{ accountId, region, profile?, deployRoleArn?, delegatedAdministrator? }`.
 */
export const organizationAccount = strictObject({
  accountId,
  region,
  profile: v.optional(profile),
  deployRoleArn: v.optional(roleArn("OrganizationAccountAccessRole")),
  delegatedAdministrator: v.optional(boolean),
});
