import { WRITER_ENVIRONMENT } from "../../functions/writer/environment";
import type { TerraformBlock, TerraformJson } from "../synth";

/** One resource that does not meet one control. */
export interface Finding {
  /** Id of the rule that reported it, e.g. `S3.1/S3.8 / CKV_AWS_53-56`. */
  readonly rule: string;
  /** Terraform address of the offending resource, e.g. `aws_s3_bucket.destination-bucket_7E26E931`. */
  readonly resource: string;
  readonly message: string;
}

/** A security control checked on synthesized Terraform JSON: pure, so it runs on the stack and on mutated copies. */
export interface Rule {
  /** The control ids (AWS Foundational Security Best Practices, Checkov), or a kebab-case name where none exists. */
  readonly id: string;
  readonly description: string;
  /** Why the project does not meet the control, as in the README's security table; undefined for controls it meets. */
  readonly notMet?: string;
  readonly check: (json: TerraformJson) => Finding[];
}

/** Actions without resource-level permissions: `"Resource": "*"` is the only possible resource for them. */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS: readonly string[] = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

/** Node.js runtimes in AWS Lambda's standard support (the writer is Node.js); nodejs20.x and older are deprecated. */
export const SUPPORTED_RUNTIMES: readonly string[] = ["nodejs22.x", "nodejs24.x"];

/** Environment variable names that suggest a secret (CKV_AWS_45). */
export const SECRET_NAME_PATTERN = /SECRET|PASSWORD|PASSWD|TOKEN|ACCESS_KEY|PRIVATE_KEY|API_KEY|CREDENTIAL/i;
/** Values that are secrets whatever their name: AWS access key ids and PEM private keys. */
const SECRET_VALUE_PATTERN = /\b(AKIA|ASIA)[0-9A-Z]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Role chaining caps an assumed role's session at one hour, whatever the role's MaxSessionDuration says. */
export const MAX_CHAINED_SESSION_SECONDS = 3600;

type Entry = readonly [address: string, block: TerraformBlock];

function resources(json: TerraformJson, type: string): Entry[] {
  return Object.entries(json.resource?.[type] ?? {}).map(([id, block]) => [`${type}.${id}`, block] as const);
}

/** A nested block as cdktf writes it: an object for a single block, an array for a list of blocks. */
function blocks(value: unknown): TerraformBlock[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is TerraformBlock => typeof item === "object" && item !== null);
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function strings(value: unknown): string[] {
  return list(value).map((item) => String(item));
}

/** `${type.id.attribute}`, the way cdktf writes a reference to a resource's attribute. */
function reference(address: string, attribute: string): string {
  return `\${${address}.${attribute}}`;
}

const TERRAFORM_REFERENCE = /\$\{[^}]*\}/g;

/** A Terraform reference stands for one specific value, never a wildcard: blank it out before looking for `*`. */
function withoutReferences(value: string): string {
  return value.replace(TERRAFORM_REFERENCE, "REFERENCE");
}

/** The 12-digit account id the resource's provider is restricted to by `allowed_account_ids`, if exactly one. */
function providerAccount(json: TerraformJson, block: TerraformBlock): string | undefined {
  const alias = typeof block.provider === "string" ? block.provider.replace(/^aws\.?/, "") : "";
  const provider = (json.provider?.aws ?? []).find((candidate) => (candidate.alias ?? "") === alias);
  const accounts = strings(provider?.allowed_account_ids);
  return accounts.length === 1 ? accounts[0] : undefined;
}

/** Blocks of a type that configure one bucket, by reference to its id or name, or by its literal name. */
function forBucket(json: TerraformJson, type: string, [address, bucket]: Entry): Entry[] {
  const names = new Set([reference(address, "id"), reference(address, "bucket"), bucket.bucket]);
  return resources(json, type).filter(([, block]) => names.has(block.bucket));
}

type PolicyKind = "identity" | "trust" | "resource";

/** One statement of a parsed policy, normalized: every field that may be a string or a list is a list. */
interface Statement {
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
interface Policy {
  readonly address: string;
  readonly kind: PolicyKind;
  /** The role the policy belongs to, as the reference to its id (`${aws_iam_role.x.id}`), for identity policies of a role. */
  readonly role?: string;
  readonly statements: Statement[];
  readonly error?: string;
}

function parsePolicy(address: string, kind: PolicyKind, text: unknown, role?: string): Policy {
  const failed = (error: string): Policy => ({ address, kind, role, statements: [], error });
  if (typeof text !== "string") return failed(`policy is not a JSON string: ${JSON.stringify(text)}`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return failed(`policy is not a JSON document (an expression such as a data source's .json cannot be checked): ${text.slice(0, 80)}`);
  }
  const statements = typeof document === "object" && document !== null ? list((document as Record<string, unknown>).Statement) : [];
  if (statements.length === 0) return failed("policy has no Statement");
  return { address, kind, role, statements: statements.map((statement, index) => normalize(statement as Record<string, unknown>, index)) };
}

function normalize(statement: Record<string, unknown>, index: number): Statement {
  const principal = statement.Principal;
  return {
    sid: typeof statement.Sid === "string" ? statement.Sid : `#${index}`,
    effect: String(statement.Effect),
    principal: principal === undefined ? undefined : principal === "*" ? "*"
      : typeof principal !== "object" || principal === null ? { AWS: strings(principal) }
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
function policies(json: TerraformJson): Policy[] {
  const found: Policy[] = [];
  for (const [address, role] of resources(json, "aws_iam_role")) {
    found.push(parsePolicy(address, "trust", role.assume_role_policy));
    for (const inline of blocks(role.inline_policy)) found.push(parsePolicy(address, "identity", inline.policy, reference(address, "id")));
  }
  for (const [address, block] of resources(json, "aws_iam_role_policy")) found.push(parsePolicy(address, "identity", block.policy, block.role));
  for (const type of ["aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"]) {
    for (const [address, block] of resources(json, type)) found.push(parsePolicy(address, "identity", block.policy));
  }
  for (const [address, block] of resources(json, "aws_s3_bucket_policy")) found.push(parsePolicy(address, "resource", block.policy));
  return found;
}

/** Whether an IAM action pattern (with `*` and `?`) grants an action; IAM compares actions case-insensitively. */
function grants(pattern: string, action: string): boolean {
  const regex = pattern.split("").map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${regex}$`, "i").test(action);
}

/** `*`, or every action of a service (`dynamodb:*`). */
function isWildcardAction(action: string): boolean {
  return /^(\*|[^:]+:\*)$/.test(action.trim());
}

/** `*`, or an ARN that names every resource (of a type) of a service: `arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:table/*`. */
function isWildcardResource(resource: string): boolean {
  const value = withoutReferences(resource).trim();
  if (value === "*") return true;
  const arn = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/.exec(value);
  if (arn === null) return false;
  const [, service, name] = arn;
  // An S3 ARN starts with the bucket name, not a resource type: arn:aws:s3:::my-bucket/* is one bucket's objects.
  return service === "s3" ? name.startsWith("*") : /^(\*|[^/:]+[/:]\*)(\/\*)?$/.test(name);
}

type Report = (resource: string, message: string) => void;

/** A policy that cannot be parsed cannot be shown compliant: it is a finding of every rule that reads it. */
function reportUnparseable(policy: Policy, report: Report): void {
  if (policy.error) report(policy.address, `${policy.error}; write IAM documents as typed objects`);
}

/** The values of a condition key under one operator; IAM matches condition keys case-insensitively. */
function conditionValues(statement: Statement, operator: string, key: string): string[] {
  const entries = Object.entries(statement.condition[operator] ?? {});
  return entries.filter(([candidate]) => candidate.toLowerCase() === key.toLowerCase()).flatMap(([, value]) => strings(value));
}

const ROOT_PRINCIPAL = /^(arn:aws[\w-]*:iam::\d{12}:root|\d{12})$/;

/** Roles that Lambda functions of the stack run as, by the reference `${aws_iam_role.x.arn}`. */
function executionRoleArns(json: TerraformJson): Set<string> {
  return new Set(resources(json, "aws_lambda_function").map(([, fn]) => fn.role).filter((role): role is string => typeof role === "string"));
}

function rule(id: string, description: string, check: (json: TerraformJson, report: Report) => void, notMet?: string): Rule {
  return {
    id,
    description,
    notMet,
    check: (json) => {
      const findings: Finding[] = [];
      check(json, (resource, message) => findings.push({ rule: id, resource, message }));
      return findings;
    },
  };
}

/** A trust policy that names an AWS principal (or "*") opens the role to other accounts. */
function isCrossAccountTrust(policy: Policy): boolean {
  return policy.statements.some((statement) => statement.hasNotPrincipal || statement.principal === "*" || (statement.principal?.AWS ?? []).length > 0);
}

export const trustsExactlyTheWriterRole = rule(
  "CKV_AWS_60/61",
  "A role assumable from another account trusts exactly the writer's execution role: by its ARN, or the account root restricted by ArnEquals/ArnLike aws:PrincipalArn to it; never \"*\"",
  (json, report) => {
    const writerRoles = executionRoleArns(json);
    for (const policy of policies(json).filter((candidate) => candidate.kind === "trust")) {
      reportUnparseable(policy, report);
      if (!isCrossAccountTrust(policy)) continue;
      for (const statement of policy.statements.filter((candidate) => candidate.effect === "Allow")) {
        const where = `trust statement ${statement.sid}`;
        if (statement.hasNotPrincipal) report(policy.address, `${where} uses NotPrincipal: it trusts everyone but the principals named`);
        if (statement.principal === "*") {
          report(policy.address, `${where} trusts Principal "*"`);
          continue;
        }
        const { AWS: awsPrincipals = [], ...others } = statement.principal ?? {};
        for (const [type, values] of Object.entries(others)) report(policy.address, `${where} also trusts ${type} ${values.join(", ")}; only the writer's role is allowed`);
        if (awsPrincipals.length > 1) report(policy.address, `${where} trusts ${awsPrincipals.length} principals (${awsPrincipals.join(", ")}); exactly one, the writer's role, is allowed`);
        for (const principal of awsPrincipals) {
          if (withoutReferences(principal).includes("*")) {
            report(policy.address, `${where} trusts the wildcard principal ${principal}`);
            continue;
          }
          let trusted = [principal];
          if (ROOT_PRINCIPAL.test(principal)) {
            trusted = ["ArnEquals", "ArnLike"].flatMap((operator) => conditionValues(statement, operator, "aws:PrincipalArn"));
            if (trusted.length === 0) {
              report(policy.address, `${where} trusts the whole account ${principal}: every principal of that account may assume the role (restrict it with ArnEquals aws:PrincipalArn)`);
              continue;
            }
          }
          for (const arn of trusted) {
            if (withoutReferences(arn).includes("*")) report(policy.address, `${where} trusts ${arn}, a pattern that matches more than one role`);
            else if (!writerRoles.has(arn)) report(policy.address, `${where} trusts ${arn}, which is not the execution role of a Lambda function of this stack`);
          }
        }
        for (const action of statement.actions.filter((candidate) => candidate !== "sts:AssumeRole")) {
          report(policy.address, `${where} allows ${action}; the writer only calls sts:AssumeRole`);
        }
      }
    }
  },
);

export const sourceAssumesOnlyOneRole = rule(
  "source-assumes-one-role",
  "A role may sts:AssumeRole only on roles of this stack by reference: a function's role exactly on the destination roles its environment lists, any other role on one at most",
  (json, report) => {
    const stackRoles = new Set(resources(json, "aws_iam_role").map(([address]) => reference(address, "arn")));
    // The destination roles each function writes through, from its DESTINATIONS, keyed by the function's role ARN.
    const destinationRoles = new Map<string, Set<string>>();
    for (const [, fn] of resources(json, "aws_lambda_function")) {
      const listed = (blocks(fn.environment)[0]?.variables ?? {})[WRITER_ENVIRONMENT.destinations];
      if (typeof fn.role === "string" && typeof listed === "string") {
        destinationRoles.set(fn.role, new Set((JSON.parse(listed) as { roleArn: string }[]).map((destination) => destination.roleArn)));
      }
    }
    const assumable = new Map<string, { address: string; roles: Set<string> }>();
    for (const policy of policies(json).filter((candidate) => candidate.kind === "identity")) {
      reportUnparseable(policy, report);
      for (const statement of policy.statements.filter((candidate) => candidate.effect === "Allow")) {
        const assumes = statement.hasNotAction || statement.actions.some((action) => grants(action, "sts:AssumeRole"));
        if (!assumes) continue;
        const where = `statement ${statement.sid}`;
        if (statement.hasNotResource) report(policy.address, `${where} allows sts:AssumeRole with NotResource`);
        for (const resource of statement.resources ?? []) {
          if (withoutReferences(resource).includes("*")) report(policy.address, `${where} allows sts:AssumeRole on ${resource}, a pattern that matches more than one role`);
          else if (!stackRoles.has(resource)) report(policy.address, `${where} allows sts:AssumeRole on ${resource}, which is not a role of this stack by reference`);
        }
        const owner = policy.role ?? policy.address;
        const entry = assumable.get(owner) ?? { address: policy.address, roles: new Set<string>() };
        (statement.resources ?? []).forEach((resource) => entry.roles.add(resource));
        assumable.set(owner, entry);
      }
    }
    for (const [owner, { address, roles }] of assumable) {
      const role = /^\$\{(aws_iam_role\.[^.}]+)\.(id|name)\}$/.exec(owner);
      const expected = role ? destinationRoles.get(reference(role[1], "arn")) : undefined;
      if (expected) {
        const extra = [...roles].filter((assumed) => !expected.has(assumed));
        if (extra.length > 0) report(role![1], `may assume ${extra.join(", ")}, which its function does not write through (its destinations: ${[...expected].join(", ")})`);
      } else if (roles.size > 1) {
        report(role ? role[1] : address, `may assume ${roles.size} roles (${[...roles].join(", ")}); exactly one is allowed`);
      }
    }
  },
);

export const noWildcardActions = rule(
  "CKV_AWS_63",
  "No Allow statement of any IAM policy grants \"*\" or \"service:*\", or uses NotAction",
  (json, report) => {
    for (const policy of policies(json)) {
      reportUnparseable(policy, report);
      // A Deny with s3:* (the TLS-only bucket policy) restricts; only what is allowed matters here.
      for (const statement of policy.statements.filter((candidate) => candidate.effect === "Allow")) {
        if (statement.hasNotAction) report(policy.address, `statement ${statement.sid} allows NotAction: every action but the ones named`);
        for (const action of statement.actions.filter(isWildcardAction)) report(policy.address, `statement ${statement.sid} allows the wildcard action ${action}`);
      }
    }
  },
);

export const noWildcardResources = rule(
  "CKV_AWS_355",
  `No Allow statement grants a restrictable action on "*" (or every resource of a type); only ${ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS.join(", ")} may have "*"`,
  (json, report) => {
    for (const policy of policies(json).filter((candidate) => candidate.kind !== "trust")) {
      reportUnparseable(policy, report);
      for (const statement of policy.statements.filter((candidate) => candidate.effect === "Allow")) {
        if (statement.hasNotResource) report(policy.address, `statement ${statement.sid} allows NotResource: every resource but the ones named`);
        const wildcards = (statement.resources ?? []).filter(isWildcardResource);
        if (wildcards.length === 0) continue;
        const restrictable = statement.hasNotAction ? ["NotAction"] : statement.actions.filter((action) => !ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS.includes(action));
        if (restrictable.length > 0) report(policy.address, `statement ${statement.sid} allows ${restrictable.join(", ")} on ${wildcards.join(", ")}`);
      }
    }
  },
);

/** AWS- or customer-managed policies named *FullAccess, and the AWS-managed administrator policies. */
const BROAD_MANAGED_POLICY = /^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/(.*\/)?[^/]*FullAccess$|^arn:aws[\w-]*:iam::aws:policy\/(.*\/)?(AdministratorAccess|PowerUserAccess)$/;

export const noFullAccessPolicies = rule(
  "IAM.21",
  "No *FullAccess (or administrator) managed policy is attached to any role, user or group",
  (json, report) => {
    const attachments: Array<[type: string, argument: string]> = [
      ["aws_iam_role_policy_attachment", "policy_arn"],
      ["aws_iam_user_policy_attachment", "policy_arn"],
      ["aws_iam_group_policy_attachment", "policy_arn"],
      ["aws_iam_policy_attachment", "policy_arn"],
      ["aws_iam_role_policy_attachments_exclusive", "policy_arns"],
      ["aws_iam_role", "managed_policy_arns"],
    ];
    for (const [type, argument] of attachments) {
      for (const [address, block] of resources(json, type)) {
        for (const arn of strings(block[argument]).filter((candidate) => BROAD_MANAGED_POLICY.test(candidate))) {
          report(address, `attaches ${arn}; allow only the actions the writer performs, on its resources`);
        }
      }
    }
  },
);

export const lambdaTrustWithSourceAccount = rule(
  "lambda-trust-source-account",
  "An execution role trusts only lambda.amazonaws.com, for sts:AssumeRole, with aws:SourceAccount equal to its own account",
  (json, report) => {
    const roles = new Map(resources(json, "aws_iam_role").map(([address, block]) => [reference(address, "arn"), [address, block] as const]));
    const checked = new Set<string>();
    for (const [fnAddress, fn] of resources(json, "aws_lambda_function")) {
      const role = roles.get(fn.role);
      if (!role) {
        report(fnAddress, `runs as ${fn.role}, not a role of this stack by reference: its trust cannot be checked`);
        continue;
      }
      const [address, block] = role;
      if (checked.has(address)) continue;
      checked.add(address);
      const policy = parsePolicy(address, "trust", block.assume_role_policy);
      reportUnparseable(policy, report);
      const account = providerAccount(json, block);
      for (const statement of policy.statements.filter((candidate) => candidate.effect === "Allow")) {
        const where = `trust statement ${statement.sid}`;
        const principal = statement.principal;
        const onlyLambda = principal !== undefined && principal !== "*" && Object.keys(principal).length === 1
          && principal.Service?.length === 1 && principal.Service[0] === "lambda.amazonaws.com";
        if (!onlyLambda) report(address, `${where} trusts ${JSON.stringify(principal)}; only {"Service":"lambda.amazonaws.com"} is allowed`);
        for (const action of statement.actions.filter((candidate) => candidate !== "sts:AssumeRole")) report(address, `${where} allows ${action}`);
        const sourceAccounts = conditionValues(statement, "StringEquals", "aws:SourceAccount");
        if (sourceAccounts.length === 0) report(address, `${where} has no StringEquals aws:SourceAccount: Lambda of any account could use the role`);
        for (const value of sourceAccounts.filter((candidate) => candidate !== account)) {
          report(address, `${where} requires aws:SourceAccount ${value}, not the role's own account ${account ?? "(provider has no single allowed account)"}`);
        }
      }
    }
  },
);

export const roleChainingSessionAtMostOneHour = rule(
  "role-chaining-session",
  `A function that assumes a role asks for at most ${MAX_CHAINED_SESSION_SECONDS} s (role chaining), and no more than the role's MaxSessionDuration`,
  (json, report) => {
    const maxDurations = new Map(resources(json, "aws_iam_role").map(([address, block]) => [reference(address, "arn"), Number(block.max_session_duration ?? 3600)]));
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      const variables: Record<string, unknown> = blocks(fn.environment)[0]?.variables ?? {};
      const destinations = variables[WRITER_ENVIRONMENT.destinations];
      if (destinations === undefined) continue;
      const requested = variables[WRITER_ENVIRONMENT.sessionDurationSeconds];
      const seconds = Number(requested);
      for (const { roleArn } of JSON.parse(String(destinations)) as { roleArn: string }[]) {
        const limit = Math.min(MAX_CHAINED_SESSION_SECONDS, maxDurations.get(roleArn) ?? MAX_CHAINED_SESSION_SECONDS);
        if (!Number.isInteger(seconds) || seconds < 900 || seconds > limit) {
          report(address, `${WRITER_ENVIRONMENT.sessionDurationSeconds} is ${JSON.stringify(requested)}; a chained session of ${roleArn} may last 900-${limit} s`);
        }
      }
    }
  },
);

const PUBLIC_ACCESS_BLOCK_FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

export const bucketPublicAccessBlocked = rule(
  "S3.1/S3.8 / CKV_AWS_53-56",
  "Every bucket has exactly one public access block, with all four flags true",
  (json, report) => {
    for (const bucket of resources(json, "aws_s3_bucket")) {
      const accessBlocks = forBucket(json, "aws_s3_bucket_public_access_block", bucket);
      if (accessBlocks.length !== 1) report(bucket[0], `has ${accessBlocks.length} public access blocks; exactly one is allowed`);
      for (const [address, block] of accessBlocks) {
        for (const flag of PUBLIC_ACCESS_BLOCK_FLAGS.filter((candidate) => block[candidate] !== true)) report(address, `${flag} is ${JSON.stringify(block[flag])}, not true`);
      }
    }
  },
);

export const bucketOwnerEnforced = rule(
  "S3.12 / CKV2_AWS_65",
  "Every bucket has ownership controls BucketOwnerEnforced (ACLs disabled)",
  (json, report) => {
    for (const bucket of resources(json, "aws_s3_bucket")) {
      const controls = forBucket(json, "aws_s3_bucket_ownership_controls", bucket);
      if (controls.length === 0) report(bucket[0], "has no ownership controls: ACLs stay enabled");
      for (const [address, block] of controls) {
        const ownership = blocks(block.rule).map((item) => item.object_ownership);
        if (ownership.length !== 1 || ownership[0] !== "BucketOwnerEnforced") report(address, `object_ownership is ${JSON.stringify(ownership)}, not BucketOwnerEnforced`);
      }
    }
  },
);

function isSecureTransportFalse(condition: Record<string, Record<string, unknown>>): boolean {
  const values = list(condition.Bool?.["aws:SecureTransport"]);
  return values.length === 1 && (values[0] === "false" || values[0] === false);
}

export const bucketDeniesInsecureTransport = rule(
  "S3.5",
  "Every bucket's policy denies s3:* to \"*\" on the bucket and bucket/* when aws:SecureTransport is false",
  (json, report) => {
    for (const bucket of resources(json, "aws_s3_bucket")) {
      const [address, block] = bucket;
      const arns = [reference(address, "arn"), `arn:aws:s3:::${reference(address, "bucket")}`, `arn:aws:s3:::${reference(address, "id")}`, `arn:aws:s3:::${block.bucket}`];
      const bucketPolicies = forBucket(json, "aws_s3_bucket_policy", bucket);
      if (bucketPolicies.length !== 1) {
        report(address, `has ${bucketPolicies.length} bucket policies; one that denies requests without TLS is required`);
        continue;
      }
      const [policyAddress, policyBlock] = bucketPolicies[0];
      const policy = parsePolicy(policyAddress, "resource", policyBlock.policy);
      reportUnparseable(policy, report);
      const denied = new Set(policy.statements
        .filter((statement) => statement.effect === "Deny" && isSecureTransportFalse(statement.condition)
          && (statement.principal === "*" || (statement.principal?.AWS ?? []).includes("*"))
          && statement.actions.some((action) => action === "*" || action.toLowerCase() === "s3:*"))
        .flatMap((statement) => statement.resources ?? []));
      const covers = (suffix: string) => arns.some((arn) => denied.has(`${arn}${suffix}`));
      if (!covers("")) report(policyAddress, "does not deny s3:* without TLS (Bool aws:SecureTransport false) on the bucket itself");
      if (!covers("/*")) report(policyAddress, "does not deny s3:* without TLS (Bool aws:SecureTransport false) on the bucket's objects (bucket/*)");
    }
  },
);

export const bucketVersioned = rule(
  "S3.14 / CKV_AWS_21",
  "Every bucket has versioning Enabled",
  (json, report) => {
    for (const bucket of resources(json, "aws_s3_bucket")) {
      const statuses = forBucket(json, "aws_s3_bucket_versioning", bucket).flatMap(([, block]) => blocks(block.versioning_configuration).map((item) => item.status));
      if (!statuses.includes("Enabled")) report(bucket[0], `versioning is ${JSON.stringify(statuses)}, not Enabled`);
    }
  },
);

export const bucketEncrypted = rule(
  "CKV_AWS_19",
  "Every bucket has default encryption configured (SSE-S3 or SSE-KMS)",
  (json, report) => {
    for (const bucket of resources(json, "aws_s3_bucket")) {
      const algorithms = forBucket(json, "aws_s3_bucket_server_side_encryption_configuration", bucket)
        .flatMap(([, block]) => blocks(block.rule))
        .flatMap((item) => blocks(item.apply_server_side_encryption_by_default).map((defaults) => defaults.sse_algorithm));
      if (!algorithms.some((algorithm) => ["AES256", "aws:kms", "aws:kms:dsse"].includes(algorithm))) {
        report(bucket[0], `has no default encryption (sse_algorithm ${JSON.stringify(algorithms)})`);
      }
    }
  },
);

/** A lifecycle rule applies to every object when it has no filter or an empty prefix and nothing else. */
function coversWholeBucket(lifecycleRule: TerraformBlock): boolean {
  if (typeof lifecycleRule.prefix === "string" && lifecycleRule.prefix !== "") return false;
  return blocks(lifecycleRule.filter).every((filter) => Object.entries(filter).every(([key, value]) => key === "prefix" && value === ""));
}

export const bucketLifecycleAbortsIncompleteUploads = rule(
  "S3.13 / CKV_AWS_300",
  "Every bucket has an enabled lifecycle rule over the whole bucket that aborts incomplete multipart uploads",
  (json, report) => {
    for (const bucket of resources(json, "aws_s3_bucket")) {
      const rules = forBucket(json, "aws_s3_bucket_lifecycle_configuration", bucket).flatMap(([, block]) => blocks(block.rule));
      const aborts = rules.some((item) => item.status === "Enabled" && coversWholeBucket(item)
        && blocks(item.abort_incomplete_multipart_upload).some((abort) => Number.isInteger(abort.days_after_initiation) && abort.days_after_initiation > 0));
      if (!aborts) report(bucket[0], "has no enabled lifecycle rule over the whole bucket that aborts incomplete multipart uploads");
    }
  },
);

export const tableOnDemand = rule(
  "DynamoDB.1",
  "Every table bills PAY_PER_REQUEST (capacity scales with demand)",
  (json, report) => {
    for (const [address, table] of resources(json, "aws_dynamodb_table")) {
      if (table.billing_mode !== "PAY_PER_REQUEST") report(address, `billing_mode is ${JSON.stringify(table.billing_mode ?? "PROVISIONED (default)")}, not PAY_PER_REQUEST`);
    }
  },
);

export const tablePointInTimeRecovery = rule(
  "DynamoDB.2 / CKV_AWS_28",
  "Every table has point-in-time recovery enabled",
  (json, report) => {
    for (const [address, table] of resources(json, "aws_dynamodb_table")) {
      if (!blocks(table.point_in_time_recovery).some((pitr) => pitr.enabled === true)) report(address, "point-in-time recovery is not enabled");
    }
  },
);

export const tableDeletionProtection = rule(
  "DynamoDB.6",
  "Every table has deletion protection (turned off only by the documented opt-in allowDataDeletion)",
  (json, report) => {
    for (const [address, table] of resources(json, "aws_dynamodb_table")) {
      if (table.deletion_protection_enabled !== true) report(address, `deletion_protection_enabled is ${JSON.stringify(table.deletion_protection_enabled)}: destroy deletes the table and its items`);
    }
  },
);

export const tableCustomerManagedKey = rule(
  "CKV_AWS_119",
  "Every table is encrypted with a customer-managed KMS key",
  (json, report) => {
    for (const [address, table] of resources(json, "aws_dynamodb_table")) {
      const encryption = blocks(table.server_side_encryption)[0];
      if (encryption?.enabled !== true || typeof encryption.kms_key_arn !== "string") report(address, "is encrypted with an AWS-owned key, not a customer-managed KMS key");
    }
  },
  "AWS-owned key; a customer-managed key is not configurable yet",
);

export const lambdaSupportedRuntime = rule(
  "Lambda.2 / CKV_AWS_363",
  `Every zip-packaged function uses a supported runtime (${SUPPORTED_RUNTIMES.join(", ")})`,
  (json, report) => {
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      if (fn.package_type === "Image") continue;
      if (!SUPPORTED_RUNTIMES.includes(fn.runtime)) report(address, `runtime ${JSON.stringify(fn.runtime)} is not a supported runtime (${SUPPORTED_RUNTIMES.join(", ")})`);
    }
  },
);

export const lambdaNotPublic = rule(
  "Lambda.1",
  "No function may be invoked by everyone: no permission for principal \"*\", no function URL without IAM auth",
  (json, report) => {
    for (const [address, permission] of resources(json, "aws_lambda_permission")) {
      if (String(permission.principal).includes("*")) report(address, `grants ${permission.action ?? "lambda:InvokeFunction"} to principal ${JSON.stringify(permission.principal)}`);
      if (permission.function_url_auth_type === "NONE") report(address, "grants invocation through a function URL without authentication");
    }
    for (const [address, url] of resources(json, "aws_lambda_function_url")) {
      if (url.authorization_type !== "AWS_IAM") report(address, `function URL has authorization_type ${JSON.stringify(url.authorization_type)}: anyone on the internet may invoke it`);
    }
  },
);

export const logGroupRetention = rule(
  "CKV_AWS_66",
  "Every function logs into a log group of this stack, and every log group has a retention period",
  (json, report) => {
    const logGroups = resources(json, "aws_cloudwatch_log_group");
    for (const [address, logGroup] of logGroups) {
      if (!Number.isInteger(logGroup.retention_in_days) || logGroup.retention_in_days <= 0) {
        report(address, `retention_in_days is ${JSON.stringify(logGroup.retention_in_days)}: logs are kept forever`);
      }
    }
    const names = new Set(logGroups.flatMap(([address, logGroup]) => [logGroup.name, reference(address, "name")]));
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      const logGroup = blocks(fn.logging_config)[0]?.log_group ?? `/aws/lambda/${fn.function_name}`;
      if (!names.has(logGroup)) report(address, `logs into ${logGroup}, which this stack does not create: Lambda creates it without retention`);
    }
  },
);

export const lambdaNoSecretsInEnvironment = rule(
  "CKV_AWS_45",
  "No function environment variable holds a secret (by its name, or an access key or private key as its value)",
  (json, report) => {
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      const variables: Record<string, unknown> = blocks(fn.environment)[0]?.variables ?? {};
      for (const [name, value] of Object.entries(variables)) {
        if (SECRET_NAME_PATTERN.test(name)) report(address, `environment variable ${name} looks like a secret; read it from Secrets Manager or SSM at run time`);
        else if (SECRET_VALUE_PATTERN.test(String(value))) report(address, `environment variable ${name} holds what looks like an access key or private key`);
      }
    }
  },
);

export const lambdaTracing = rule(
  "CKV_AWS_50",
  "Every function has X-Ray active tracing",
  (json, report) => {
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      const mode = blocks(fn.tracing_config)[0]?.mode;
      if (mode !== "Active") report(address, `tracing mode is ${JSON.stringify(mode)}, not Active`);
    }
  },
);

export const lambdaReservedConcurrency = rule(
  "CKV_AWS_115",
  "Every function has reserved concurrency",
  (json, report) => {
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      const reserved = fn.reserved_concurrent_executions;
      if (typeof reserved !== "number" || reserved < 0) report(address, "has no reserved concurrency");
    }
  },
  "reserving concurrency fails in new accounts whose limit is 10 (AWS keeps 10 unreserved)",
);

export const lambdaDeadLetterQueue = rule(
  "CKV_AWS_116",
  "Every function has a dead-letter queue or an on-failure destination for asynchronous invocations",
  (json, report) => {
    const withDestination = new Set(resources(json, "aws_lambda_function_event_invoke_config")
      .filter(([, config]) => blocks(config.destination_config).some((destination) => blocks(destination.on_failure).length > 0))
      .map(([, config]) => config.function_name));
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      const hasDlq = blocks(fn.dead_letter_config).some((dlq) => typeof dlq.target_arn === "string");
      const names = [fn.function_name, reference(address, "function_name"), reference(address, "arn")];
      if (!hasDlq && !names.some((name) => withDestination.has(name))) report(address, "has no dead-letter queue or on-failure destination");
    }
  },
  "the writer is invoked synchronously and throws on failure; add an on-failure destination if you invoke it asynchronously",
);

/** Every rule, in the order of the README's security table. */
export const ALL_RULES: readonly Rule[] = [
  trustsExactlyTheWriterRole,
  sourceAssumesOnlyOneRole,
  noWildcardActions,
  noWildcardResources,
  noFullAccessPolicies,
  lambdaTrustWithSourceAccount,
  roleChainingSessionAtMostOneHour,
  bucketPublicAccessBlocked,
  bucketOwnerEnforced,
  bucketDeniesInsecureTransport,
  bucketVersioned,
  bucketEncrypted,
  bucketLifecycleAbortsIncompleteUploads,
  tableOnDemand,
  tablePointInTimeRecovery,
  tableDeletionProtection,
  tableCustomerManagedKey,
  lambdaSupportedRuntime,
  lambdaNotPublic,
  logGroupRetention,
  lambdaNoSecretsInEnvironment,
  lambdaTracing,
  lambdaReservedConcurrency,
  lambdaDeadLetterQueue,
];

/** The findings of some rules (default: all) on a synthesized stack. */
export function check(json: TerraformJson, rules: readonly Rule[] = ALL_RULES): Finding[] {
  return rules.flatMap((candidate) => candidate.check(json));
}
