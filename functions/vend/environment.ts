import * as z from "zod/mini";

import { VEND_ACCESS, type VendAccess, type VendDestinationSettings } from "./destination-settings";
import { type IamPrincipal, PRINCIPAL_ARN, parsePrincipalArn, principalKey } from "./principal";

export { environmentBytes, LAMBDA_ENVIRONMENT_BYTES } from "../shared/environment";
export { VEND_ACCESS, type VendAccess, type VendDestinationSettings } from "./destination-settings";
export { type IamPrincipal, parsePrincipalArn, principalKey } from "./principal";

/** Environment variables the stack gives the vend Lambda: the contract between `stacks/` and `functions/vend`. */
export const VEND_ENVIRONMENT = {
  destinations: "DESTINATIONS",
  callers: "CALLERS",
  stsRegion: "STS_REGION",
} as const;

export type VendSettingName = keyof typeof VEND_ENVIRONMENT;

/** A vended session lasts this long unless the request asks otherwise. */
export const DEFAULT_DURATION_SECONDS = 900;
/** STS's shortest session. */
export const MIN_DURATION_SECONDS = 900;
/** Role chaining (a Lambda's session assuming a role) caps a session at one hour, whatever the role allows. */
export const MAX_DURATION_SECONDS = 3600;

/**
 * An IAM principal allowed to ask for credentials, named by its IAM ARN (`arn:aws:iam::<account>:role/<name>` or
 * `...:user/<name>`). It is matched by partition, account, kind and name: a function URL names a role's caller by
 * its session ARN, which carries no path, and a role's name is unique in its account whatever its path.
 */
export interface VendCallerSettings {
  readonly arn: string;
  /** Names of the destinations this caller may ask for. */
  readonly destinations: readonly string[];
  /** The most this caller may ask for; `read-write` also allows asking for `read` or `write` alone. */
  readonly access: VendAccess;
  /** The caller's folder under each destination's bucketPrefix. @default - the principal's name */
  readonly prefix?: string;
  /** The longest session this caller may ask for, 900-3600 s. @default 3600 */
  readonly maxDurationSeconds?: number;
}

export interface VendSettings {
  /** At least one, names unique. */
  readonly destinations: readonly VendDestinationSettings[];
  /** At least one; each ARN once. */
  readonly callers: readonly VendCallerSettings[];
  /** Region of the STS endpoint the Lambda calls AssumeRole on. */
  readonly stsRegion: string;
}

const got = (input: unknown) => (input === undefined ? "got nothing" : `got ${JSON.stringify(input)?.slice(0, 120)}`);
const text = (pattern: RegExp, allowed: string) =>
  z
    .string({ error: (issue) => `must be ${allowed}, ${got(issue.input)}` })
    .check(z.regex(pattern, { error: (issue) => `must be ${allowed}, ${got(issue.input)}` }));
const object = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) => (issue.code === "invalid_type" ? `must be a JSON object, ${got(issue.input)}` : undefined),
  });
const list = <T extends z.ZodMiniType>(item: T) =>
  z
    .array(item, { error: (issue) => `must be a JSON array, ${got(issue.input)}` })
    .check(z.minLength(1, { error: "must not be empty" }));

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// At most 100 characters, so the session policy, which names both prefixes three times, fits AssumeRole's 2048.
const KEY_PREFIX = /^(?=.{1,100}$)[\w!'().@=+,-]+(\/[\w!'().@=+,-]+)*$/;
const KEY_PREFIX_ALLOWED = "1-100 characters of a key prefix, without a slash at either end or '*', '?'";
const durationSchema = z.int({ error: (issue) => `must be a whole number of seconds, ${got(issue.input)}` }).check(
  z.gte(MIN_DURATION_SECONDS, {
    error: (issue) => `must be at least ${MIN_DURATION_SECONDS} s (STS's minimum), ${got(issue.input)}`,
  }),
  z.lte(MAX_DURATION_SECONDS, {
    error: (issue) => `must be at most ${MAX_DURATION_SECONDS} s (role chaining), ${got(issue.input)}`,
  }),
);

const destinationSchema = object({
  name: text(/^[\w.-]{1,64}$/, "1-64 letters, digits, '_', '.' or '-'"),
  accountId: text(/^\d{12}$/, "a 12-digit account id"),
  region: text(REGION, "an AWS region such as eu-west-1"),
  roleArn: text(/^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/, "an IAM role ARN"),
  tableName: text(/^[\w.-]{3,255}$/, "a DynamoDB table name (3-255 of letters, digits, '_', '.', '-')"),
  tableArn: z.optional(text(/^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[\w.-]{3,255}$/, "a table ARN")),
  bucketName: text(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name"),
  bucketPrefix: text(KEY_PREFIX, KEY_PREFIX_ALLOWED),
});

const callerSchema = object({
  arn: text(PRINCIPAL_ARN, "an IAM user or role ARN such as arn:aws:iam::111111111111:role/reporting"),
  destinations: list(z.string({ error: (issue) => `must be a destination name, ${got(issue.input)}` })),
  access: z.enum(VEND_ACCESS, {
    error: (issue) => `must be ${VEND_ACCESS.map((access) => `"${access}"`).join(", ")}, ${got(issue.input)}`,
  }),
  prefix: z.optional(text(KEY_PREFIX, KEY_PREFIX_ALLOWED)),
  maxDurationSeconds: z.optional(durationSchema),
});

/** The caller's folder under each destination's bucketPrefix: its own `prefix`, or its principal's name. */
export function callerPrefix(caller: VendCallerSettings): string {
  return caller.prefix ?? parsePrincipalArn(caller.arn)?.name ?? caller.arn;
}

function settingsProblems(destinations: readonly VendDestinationSettings[], callers: readonly VendCallerSettings[]) {
  const problems: string[] = [];
  const names = destinations.map((destination) => destination.name);
  names.forEach((name, index) => {
    const first = names.indexOf(name);
    if (first < index) problems.push(`${VEND_ENVIRONMENT.destinations}[${index}].name repeats [${first}]: "${name}"`);
  });
  const keys = callers.map((caller) => principalKey(parsePrincipalArn(caller.arn) as IamPrincipal));
  callers.forEach((caller, index) => {
    const at = `${VEND_ENVIRONMENT.callers}[${index}]`;
    const first = keys.indexOf(keys[index]);
    if (first < index) problems.push(`${at}.arn names the principal of [${first}] again: ${caller.arn}`);
    for (const name of caller.destinations.filter((candidate) => !names.includes(candidate))) {
      problems.push(`${at}.destinations names no destination: "${name}"; destinations are ${names.join(", ")}`);
    }
    // Two callers in one folder share data: allowed only when both chose it.
    callers.slice(0, index).forEach((other, earlier) => {
      const prefix = callerPrefix(caller);
      if (prefix !== callerPrefix(other) || (caller.prefix !== undefined && other.prefix !== undefined)) return;
      if (!caller.destinations.some((name) => other.destinations.includes(name))) return;
      problems.push(
        `${at} would share the prefix "${prefix}" of [${earlier}]: ` +
          "set prefix on one of them, or the same one on both to share on purpose",
      );
    });
  });
  return problems;
}

/**
 * The environment that carries these settings, optional fields only when set. The stack passes Terraform references
 * inside the strings, so nothing here checks shapes; {@link readVendSettings} does, in the Lambda.
 */
export function vendEnvironment(settings: VendSettings): Record<string, string> {
  const destinations = settings.destinations.map((destination) => {
    const { name, accountId, region, roleArn, tableName, tableArn, bucketName, bucketPrefix } = destination;
    return { name, accountId, region, roleArn, tableName, ...(tableArn && { tableArn }), bucketName, bucketPrefix };
  });
  const callers = settings.callers.map(({ arn, destinations, access, prefix, maxDurationSeconds }) => ({
    arn,
    destinations,
    access,
    ...(prefix && { prefix }),
    ...(maxDurationSeconds && { maxDurationSeconds }),
  }));
  return {
    [VEND_ENVIRONMENT.destinations]: JSON.stringify(destinations),
    [VEND_ENVIRONMENT.callers]: JSON.stringify(callers),
    [VEND_ENVIRONMENT.stsRegion]: settings.stsRegion,
  };
}

const fieldName = (path: readonly PropertyKey[]) =>
  path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");

/** The variable's JSON, validated; undefined after adding what is wrong, naming the entry and field, to `problems`. */
function parseVariable<T>(env: NodeJS.ProcessEnv, name: VendSettingName, schema: z.ZodMiniType<T>, problems: string[]) {
  const variable = VEND_ENVIRONMENT[name];
  let value: unknown;
  try {
    value = JSON.parse(env[variable] ?? "");
  } catch {
    problems.push(`${variable} is not JSON, got ${JSON.stringify((env[variable] ?? "").slice(0, 120))}`);
    return undefined;
  }
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues.slice(0, 10)) {
    const field = `${variable}${fieldName(issue.path)}`;
    const unknown = issue.code === "unrecognized_keys" ? `has unknown fields ${issue.keys.join(", ")}` : undefined;
    problems.push(`${field} ${unknown ?? issue.message}`);
  }
  return undefined;
}

/** Reads the vend Lambda's settings from an environment; every missing or malformed variable is named in the error. */
export function readVendSettings(env: NodeJS.ProcessEnv): VendSettings {
  const missing = Object.values(VEND_ENVIRONMENT).filter((variable) => !env[variable]);
  if (missing.length > 0) {
    const names = missing.join(", ");
    throw new Error(`vend is missing environment variables ${names}; deploy it with the cdktf stack, which sets them`);
  }
  const problems: string[] = [];
  const destinations = parseVariable(env, "destinations", list(destinationSchema), problems);
  const callers = parseVariable(env, "callers", list(callerSchema), problems);
  const stsRegion = env[VEND_ENVIRONMENT.stsRegion] ?? "";
  if (!REGION.test(stsRegion)) {
    problems.push(`${VEND_ENVIRONMENT.stsRegion} must be an AWS region such as eu-west-1, got "${stsRegion}"`);
  }
  if (destinations && callers) problems.push(...settingsProblems(destinations, callers));
  if (problems.length > 0 || !destinations || !callers) {
    throw new Error(`vend's environment is malformed: ${problems.join("; ")}`);
  }
  return { destinations, callers, stsRegion };
}

/**
 * The session policy the function sends for a caller, and its packed size limit: the contract's size part, which
 * the config checks before anything is deployed.
 */
export {
  MAX_PACKED_PLAIN_TEXT_CHARS,
  MAX_SESSION_POLICY_CHARS,
  maxSessionTagChars,
  serializeSessionPolicy,
  sessionPolicy,
} from "./session-policy";
