// The shape of the `vending` section, below schema.ts which composes every section; its types, defaults and
// cross-field rules sit above, in vending.ts.
import * as v from "valibot";
import {
  MAX_DURATION_SECONDS,
  MIN_DURATION_SECONDS,
  parsePrincipalArn,
  VEND_ACCESS,
} from "../../functions/vend/environment";
import * as field from "./fields";

/** Callers one vending function may have: each is a statement of the function's resource policy. */
export const MAX_VENDING_CALLERS = 50;

const callerSchema = field.strictObject({
  arn: v.pipe(
    v.string((issue) => `must be the exact ARN of an IAM user or role, ${field.got(issue.input)}`),
    v.check(
      (arn) => parsePrincipalArn(arn) !== undefined,
      (issue) =>
        "must be the exact ARN of an IAM user or role (not an account root or a session), e.g. " +
        `arn:aws:iam::111111111111:role/reporting, ${field.got(issue.input)}`,
    ),
  ),
  destinations: v.pipe(
    v.array(field.destinationName, (issue) => `must be an array of destination names, ${field.got(issue.input)}`),
    v.minLength(1, "must name at least one destination"),
  ),
  access: v.picklist(
    VEND_ACCESS,
    (issue) => `must be ${VEND_ACCESS.map((access) => JSON.stringify(access)).join(" or ")}, ${field.got(issue.input)}`,
  ),
  prefix: v.optional(
    v.pipe(
      field.bucketPrefix,
      v.maxLength(100, (issue) => `must be at most 100 characters, ${field.got(issue.input)}`),
    ),
  ),
  maxDurationSeconds: v.optional(
    field.sessionSeconds(MIN_DURATION_SECONDS, MAX_DURATION_SECONDS, "role chaining allows at most 1 hour"),
  ),
});

/** The `vending` section of a config file: who may ask the vending function for credentials, and for what. */
export const vendingSchema = field.strictObject({
  callers: v.pipe(
    v.array(
      callerSchema,
      (issue) =>
        `must be an array of { arn, destinations, access, prefix?, maxDurationSeconds? }, ${field.got(issue.input)}`,
    ),
    v.minLength(1, "must name at least one caller"),
    v.maxLength(MAX_VENDING_CALLERS, `must name at most ${MAX_VENDING_CALLERS} callers`),
  ),
  functionName: v.optional(field.functionName),
  executionRole: v.optional(field.roleName),
});
