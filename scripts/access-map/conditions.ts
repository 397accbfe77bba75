import type { PolicyDocument } from "../../stacks/policy-document";
import type { ContextValues } from "./evaluate";

/**
 * Condition keys a caller or the service acting for it can supply, and how a row names the requirement. Keys that
 * describe who the caller is (aws:PrincipalArn, aws:PrincipalAccount, aws:userid) are never supplied: they come
 * from the principal itself, so a trust that names another principal's ARN stays closed.
 */
const SUPPLIABLE: Record<string, (value: string) => string> = {
  "aws:MultiFactorAuthPresent": () => "MFA required",
  "aws:MultiFactorAuthAge": (value) => `MFA within ${value} s`,
  "sts:ExternalId": () => "ExternalId required",
  "sts:SourceIdentity": () => "SourceIdentity required",
  "sts:RoleSessionName": (value) => `session name ${value}`,
  "aws:PrincipalOrgID": (value) => `org ${value}`,
  "aws:PrincipalOrgPaths": (value) => `org path ${value}`,
  "aws:SourceAccount": (value) => `source account ${value}`,
  "aws:SourceArn": (value) => `source ${value}`,
  "aws:SourceOrgID": (value) => `source org ${value}`,
  // The organization of the account that owns the resource: true of every account of an OU of that organization.
  "aws:ResourceOrgID": (value) => `resource in org ${value}`,
  "lambda:FunctionUrlAuthType": (value) => `function URL auth ${value}`,
  // Lambda sets it on the lambda:InvokeFunction check of a function URL call; a direct Invoke never carries it.
  "lambda:InvokedViaFunctionUrl": (value) => (value === "true" ? "through the function URL" : "not through the URL"),
  "aws:TagKeys": (value) => `session tag keys ${value}`,
};
/** Session tags the caller sets on AssumeRole: `aws:RequestTag/<key>`. */
const REQUEST_TAG = "aws:RequestTag/";
/** MFA is a property of a user's sign-in: a role's session or a service never carries it. */
const USER_ONLY = new Set(["aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge"]);

/** A value that satisfies one condition operator with the policy's value. */
function satisfying(operator: string, value: string): string {
  const base = operator.replace(/^For(All|Any)Values:/, "").replace(/IfExists$/, "");
  if (base === "Null") return value === "true" ? "" : "present";
  if (base.startsWith("NumericLess")) return "0";
  if (base.startsWith("NumericGreater")) return String(Number(value) + 1);
  if (base.endsWith("Like")) return value.replaceAll("*", "x").replaceAll("?", "x");
  return value;
}

/**
 * The context that satisfies every suppliable condition of the policy's Allow statements for `action`, one value
 * per key (the first statement that names it wins).
 */
export function suppliedContext(
  policy: PolicyDocument | undefined,
  action: string,
  user: boolean,
  caller: ContextValues = {},
): ContextValues {
  // A policy variable in a condition's value (`${aws:PrincipalAccount}`) is the caller's own value of that key.
  const filled = (value: string) =>
    value.replace(/\$\{(aws:[^}]+)\}/g, (variable, key: string) => String(caller[key] ?? variable));
  const context: ContextValues = {};
  for (const statement of policy?.Statement ?? []) {
    const actions = ([] as string[]).concat(statement.Action);
    if (statement.Effect !== "Allow" || !actions.some((pattern) => matches(pattern, action))) continue;
    for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
      for (const [key, values] of Object.entries(entries)) {
        const suppliable = key in SUPPLIABLE || key.startsWith(REQUEST_TAG);
        if (!suppliable || key in context || (USER_ONLY.has(key) && !user)) continue;
        const first = ([] as string[]).concat(values)[0] ?? "";
        if (key === "aws:TagKeys") {
          context[key] = ([] as string[]).concat(values);
          continue;
        }
        const value = satisfying(operator, filled(first));
        if (value !== "") context[key] = value;
      }
    }
  }
  return context;
}

/** How a row names a condition key it needed, with the value it was satisfied with. */
export const conditionLabel = (key: string, value: string | string[]): string =>
  key.startsWith(REQUEST_TAG)
    ? `session tag ${key.slice(REQUEST_TAG.length)} = ${value}`
    : (SUPPLIABLE[key] ?? (() => key))(String(value));

/** An IAM action pattern (`s3:Put*`, `*`) against an action, case-insensitively as IAM compares them. */
export function matches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replaceAll("*", ".*")
      .replaceAll("?", ".")}$`,
    "i",
  );
  return regex.test(action);
}

/** An ARN pattern of a policy (`arn:aws:s3:::b/records/*`) against an ARN, case-sensitively as IAM compares them. */
export function matchesResource(pattern: string, arn: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replaceAll("*", ".*")
    .replaceAll("?", ".");
  return new RegExp(`^${regex}$`).test(arn);
}

/**
 * Whether any Allow statement of the documents could grant the action on the resource: a cheap necessary condition,
 * so the evaluator, which decides every listed access, is not asked about requests no statement could allow.
 * NotAction, NotResource and statements without Resource (trust policies) always could.
 */
export function mayAllow(documents: readonly (PolicyDocument | undefined)[], action: string, arn?: string): boolean {
  return documents.some((document) =>
    (document?.Statement ?? []).some((statement) => {
      if (statement.Effect !== "Allow") return false;
      const loose = statement as { NotAction?: unknown; NotResource?: unknown };
      const actionMatches =
        loose.NotAction !== undefined ||
        ([] as string[]).concat(statement.Action).some((pattern) => matches(pattern, action));
      if (!actionMatches) return false;
      if (arn === undefined || loose.NotResource !== undefined || statement.Resource === undefined) return true;
      return ([] as string[]).concat(statement.Resource).some((pattern) => matchesResource(pattern, arn));
    }),
  );
}
