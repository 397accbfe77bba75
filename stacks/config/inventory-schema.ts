// The shape of the `inventory` section, below schema.ts which composes every section; its types, defaults and
// cross-field rules sit above, in inventory.ts.
import * as v from "valibot";
import {
  ACCOUNT_ID,
  ENABLED_REGIONS,
  MAX_CONCURRENCY,
  ORGANIZATIONAL_UNIT_ID,
} from "../../functions/inventory/environment";
import * as field from "./fields";

/** The OUs one CreateStackInstances call may target (the StackSet's instances are one call). */
export const MAX_STACK_SET_UNITS = 50;

/** Rate or cron expression of an EventBridge schedule rule. */
const SCHEDULE = /^(rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)|cron\((\S+ ){5}\S+\))$/;

/** EventBridge takes a cron expression with "?" in exactly one of its day-of-month and day-of-week fields. */
function cronDaysExclusive(expression: string): boolean {
  const fields = /^cron\((.+)\)$/.exec(expression)?.[1].split(" ");
  return fields === undefined || (fields[2] === "?") !== (fields[4] === "?");
}

/** A list of ids of one shape, each once. */
function uniqueIds(pattern: RegExp, allowed: string) {
  const message = (issue: { input: unknown }) => `must be an array of ${allowed}, ${field.got(issue.input)}`;
  return v.pipe(
    v.array(v.pipe(v.string(message), v.regex(pattern, message)), message),
    v.check(
      (ids) => new Set(ids).size === ids.length,
      (issue) =>
        `names ${JSON.stringify((issue.input as string[]).find((id, index, ids) => ids.indexOf(id) !== index))} twice; give each id once`,
    ),
  );
}

const regionsMessage = (issue: { input: unknown }) =>
  `must be "${ENABLED_REGIONS}" (every region enabled in each account) or a non-empty array of distinct regions such as ["us-east-1"], ${field.got(issue.input)}`;

const concurrencyMessage = (issue: { input: unknown }) =>
  `must be a whole number of account-region pairs scanned at once from 1 to ${MAX_CONCURRENCY}, ${field.got(issue.input)}`;

/** `inventory` in the config file: what to inventory, and from where the organization is reached. */
export const inventorySchema = field.strictObject({
  organizationalUnitIds: v.optional(
    v.pipe(
      uniqueIds(ORGANIZATIONAL_UNIT_ID, "OU ids (ou-xxxx-xxxxxxxx) or root ids (r-xxxx)"),
      v.maxLength(
        MAX_STACK_SET_UNITS,
        (issue) =>
          `must name at most ${MAX_STACK_SET_UNITS} OUs, as CloudFormation's CreateStackInstances takes no more: target their parent OU or the root instead, got ${(issue.input as unknown[]).length}`,
      ),
    ),
  ),
  accountIds: v.optional(uniqueIds(ACCOUNT_ID, "12-digit account ids")),
  regions: v.optional(
    v.union(
      [
        v.literal(ENABLED_REGIONS),
        v.pipe(
          v.array(field.region),
          v.minLength(1, regionsMessage),
          v.check((regions) => new Set(regions).size === regions.length, regionsMessage),
        ),
      ],
      regionsMessage,
    ),
  ),
  roleName: v.optional(field.roleName),
  concurrency: v.optional(
    v.pipe(
      v.number(concurrencyMessage),
      v.integer(concurrencyMessage),
      v.minValue(1, concurrencyMessage),
      v.maxValue(MAX_CONCURRENCY, concurrencyMessage),
    ),
  ),
  schedule: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        SCHEDULE,
        (issue) =>
          `must be an EventBridge schedule expression such as "rate(1 day)" or "cron(0 6 * * ? *)", ${field.got(issue.input)}`,
      ),
      v.check(
        cronDaysExclusive,
        (issue) =>
          `must have "?" in exactly one of its cron day-of-month and day-of-week fields (EventBridge takes a value in ` +
          `the other), such as "cron(0 6 * * ? *)" or "cron(0 6 ? * MON *)", ${field.got(issue.input)}`,
      ),
    ),
  ),
  organizationId: v.optional(field.organizationId),
  organization: v.optional(field.organizationAccount),
});

export type InventoryFile = v.InferOutput<typeof inventorySchema>;
