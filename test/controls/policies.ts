import type { TerraformJson } from "../synth";
import type { Report } from "./rule";
import { blocks, list, reference, resources, strings, withoutReferences } from "./terraform";

export type PolicyKind = "identity" | "trust" | "resource";

/** One statement of a parsed policy, normalized: every field that may be a string or a list is a list. */
export interface Statement {
  readonly sid: string;
  readonly effect: string;
  /** `"*"` for `Principal: "*"`, otherwise the principals by type (AWS, Service, Federated). */
  readonly principal?: "*" | Record<string, string[]>;
  readonly hasNotPrincipal: boolean;
  readonly actions: string[];
  readonly hasNotAction: boolean;
  readonly resources?: string[];
  readonly hasNotResource: boolean;
  readonly condition: Record<string, Record<string, unknown>>;
}

/** A policy argument of a resource, parsed; `error` says why it could not be. */
export interface Policy {
  readonly address: string;
  readonly kind: PolicyKind;
  /** The role the policy belongs to, as the reference to its id (`${aws_iam_role.x.id}`), for identity policies of a role. */
  readonly role?: string;
  readonly statements: Statement[];
  readonly error?: string;
}

export function parsePolicy(address: string, kind: PolicyKind, text: unknown, role?: string): Policy {
  const failed = (error: string): Policy => ({ address, kind, role, statements: [], error });
  if (typeof text !== "string") return failed(`policy is not a JSON string: ${JSON.stringify(text)}`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return failed(
      `policy is not a JSON document (an expression such as a data source's .json cannot be checked): ${text.slice(0, 80)}`,
    );
  }
  const statements =
    typeof document === "object" && document !== null ? list((document as Record<string, unknown>).Statement) : [];
  if (statements.length === 0) return failed("policy has no Statement");
  return {
    address,
    kind,
    role,
    statements: statements.map((statement, index) => normalize(statement as Record<string, unknown>, index)),
  };
}

export function normalize(statement: Record<string, unknown>, index: number): Statement {
  const principal = statement.Principal;
  return {
    sid: typeof statement.Sid === "string" ? statement.Sid : `#${index}`,
    effect: String(statement.Effect),
    principal:
      principal === undefined
        ? undefined
        : principal === "*"
          ? "*"
          : typeof principal !== "object" || principal === null
            ? { AWS: strings(principal) }
            : Object.fromEntries(Object.entries(principal).map(([type, value]) => [type, strings(value)])),
    hasNotPrincipal: statement.NotPrincipal !== undefined,
    actions: strings(statement.Action),
    hasNotAction: statement.NotAction !== undefined,
    resources: statement.Resource === undefined ? undefined : strings(statement.Resource),
    hasNotResource: statement.NotResource !== undefined,
    condition: (statement.Condition ?? {}) as Record<string, Record<string, unknown>>,
  };
}

/** Every IAM policy document of the stack: roles' trust and inline policies, role/user/group/managed policies, bucket policies. */
export function policies(json: TerraformJson): Policy[] {
  const found: Policy[] = [];
  for (const [address, role] of resources(json, "aws_iam_role")) {
    found.push(parsePolicy(address, "trust", role.assume_role_policy));
    for (const inline of blocks(role.inline_policy))
      found.push(parsePolicy(address, "identity", inline.policy, reference(address, "id")));
  }
  for (const [address, block] of resources(json, "aws_iam_role_policy"))
    found.push(parsePolicy(address, "identity", block.policy, block.role));
  for (const type of ["aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"]) {
    for (const [address, block] of resources(json, type)) found.push(parsePolicy(address, "identity", block.policy));
  }
  for (const [address, block] of resources(json, "aws_s3_bucket_policy"))
    found.push(parsePolicy(address, "resource", block.policy));
  return found;
}

/** Whether an IAM action pattern (with `*` and `?`) grants an action; IAM compares actions case-insensitively. */
export function grants(pattern: string, action: string): boolean {
  const regex = pattern
    .split("")
    .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${regex}$`, "i").test(action);
}

/** `*`, or every action of a service (`dynamodb:*`). */
export function isWildcardAction(action: string): boolean {
  return /^(\*|[^:]+:\*)$/.test(action.trim());
}

/** `*`, or an ARN that names every resource (of a type) of a service: `arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:table/*`. */
export function isWildcardResource(resource: string): boolean {
  const value = withoutReferences(resource).trim();
  if (value === "*") return true;
  const arn = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/.exec(value);
  if (arn === null) return false;
  const [, service, name] = arn;
  // An S3 ARN starts with the bucket name, not a resource type: arn:aws:s3:::my-bucket/* is one bucket's objects.
  return service === "s3" ? name.startsWith("*") : /^(\*|[^/:]+[/:]\*)(\/\*)?$/.test(name);
}

/** A policy that cannot be parsed cannot be shown compliant: it is a finding of every rule that reads it. */
export function reportUnparseable(policy: Policy, report: Report): void {
  if (policy.error) report(policy.address, `${policy.error}; write IAM documents as typed objects`);
}

/** The values of a condition key under one operator; IAM matches condition keys case-insensitively. */
export function conditionValues(statement: Statement, operator: string, key: string): string[] {
  const entries = Object.entries(statement.condition[operator] ?? {});
  return entries
    .filter(([candidate]) => candidate.toLowerCase() === key.toLowerCase())
    .flatMap(([, value]) => strings(value));
}
