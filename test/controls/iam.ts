import { MAX_DURATION_SECONDS, VEND_ENVIRONMENT } from "../../functions/vend/environment";
import { WRITER_ENVIRONMENT } from "../../functions/writer/environment";
import type { TerraformJson } from "../synth";
import { assumeGrants, withoutUserPath } from "./assume-grants";
import { inventoryReadRoleProblem, inventoryRoles } from "./inventory";
import { missingOrganizationConditions, trustsAnyone } from "./organization-writer";
import {
  conditionValues,
  grants,
  isWildcardAction,
  isWildcardResource,
  type Policy,
  parsePolicy,
  policies,
  reportUnparseable,
} from "./policies";
import { rule } from "./rule";
import { blocks, providerAccount, reference, resources, strings, withoutReferences } from "./terraform";

/** Actions without resource-level permissions: `"Resource": "*"` is the only possible resource for them. */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS: readonly string[] = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "lambda:ListFunctions",
  "ec2:DescribeRegions",
];

/** Role chaining caps an assumed role's session at one hour, whatever the role's MaxSessionDuration says. */
export const MAX_CHAINED_SESSION_SECONDS = 3600;

const ROOT_PRINCIPAL = /^(arn:aws[\w-]*:iam::\d{12}:root|\d{12})$/;

/** Roles that Lambda functions of the stack run as, by the reference `${aws_iam_role.x.arn}`. */
function executionRoleArns(json: TerraformJson): Set<string> {
  return new Set(
    resources(json, "aws_lambda_function")
      .map(([, fn]) => fn.role)
      .filter((role): role is string => typeof role === "string"),
  );
}

/** A trust policy that names an AWS principal (or "*") opens the role to other accounts. */
function isCrossAccountTrust(policy: Policy): boolean {
  return policy.statements.some(
    (statement) =>
      statement.hasNotPrincipal || statement.principal === "*" || (statement.principal?.AWS ?? []).length > 0,
  );
}

/** What a vending role's trust may allow besides sts:AssumeRole. */
const SOURCE_IDENTITY_ACTIONS: readonly string[] = ["sts:SetSourceIdentity", "sts:TagSession"];

/** Every Allow of sts:AssumeRole in a trust policy requires a SourceIdentity (`Null sts:SourceIdentity "false"`). */
function requiresSourceIdentity(policy: Policy): boolean {
  const assumes = policy.statements.filter(
    (statement) => statement.effect === "Allow" && statement.actions.includes("sts:AssumeRole"),
  );
  return (
    assumes.length > 0 &&
    assumes.every((statement) => conditionValues(statement, "Null", "sts:SourceIdentity").join() === "false")
  );
}

export const trustsExactlyTheWriterRole = rule(
  "CKV_AWS_60/61",
  'A role assumable from another account trusts exactly the writer\'s execution role: by its ARN, or the account root restricted by ArnEquals/ArnLike aws:PrincipalArn to it; or principals that the stack itself lets assume that very role (its instance roles, the users of its operator groups); never "*"',
  (json, report) => {
    const writerRoles = executionRoleArns(json);
    const granted = assumeGrants(json);
    for (const policy of policies(json).filter((candidate) => candidate.kind === "trust")) {
      reportUnparseable(policy, report);
      if (!isCrossAccountTrust(policy)) continue;
      for (const statement of policy.statements.filter((candidate) => candidate.effect === "Allow")) {
        // The organization writer's central trust: checked whole by organizationWildcardTrust.
        if (trustsAnyone(statement) && missingOrganizationConditions(statement).length === 0) continue;
        const where = `trust statement ${statement.sid}`;
        if (statement.hasNotPrincipal)
          report(policy.address, `${where} uses NotPrincipal: it trusts everyone but the principals named`);
        if (statement.principal === "*") {
          report(policy.address, `${where} trusts Principal "*"`);
          continue;
        }
        const { AWS: awsPrincipals = [], ...others } = statement.principal ?? {};
        for (const [type, values] of Object.entries(others))
          report(
            policy.address,
            `${where} also trusts ${type} ${values.join(", ")}; only the writer's role is allowed`,
          );
        if (awsPrincipals.length > 1 && awsPrincipals.some((principal) => writerRoles.has(principal)))
          report(
            policy.address,
            `${where} trusts ${awsPrincipals.length} principals (${awsPrincipals.join(", ")}); exactly one, the writer's role, is allowed`,
          );
        for (const principal of awsPrincipals) {
          if (withoutReferences(principal).includes("*")) {
            report(policy.address, `${where} trusts the wildcard principal ${principal}`);
            continue;
          }
          let trusted = [principal];
          if (ROOT_PRINCIPAL.test(principal)) {
            trusted = ["ArnEquals", "ArnLike"].flatMap((operator) =>
              conditionValues(statement, operator, "aws:PrincipalArn"),
            );
            if (trusted.length === 0) {
              report(
                policy.address,
                `${where} trusts the whole account ${principal}: every principal of that account may assume the role (restrict it with ArnEquals aws:PrincipalArn)`,
              );
              continue;
            }
          }
          for (const arn of trusted) {
            if (withoutReferences(arn).includes("*"))
              report(policy.address, `${where} trusts ${arn}, a pattern that matches more than one role`);
            else if (!writerRoles.has(arn) && !granted.get(withoutUserPath(arn))?.has(reference(policy.address, "arn")))
              report(
                policy.address,
                `${where} trusts ${arn}, which is not the execution role of a Lambda function of this stack, ` +
                  "nor a principal the stack lets assume this role",
              );
          }
        }
        for (const action of statement.actions.filter((candidate) => candidate !== "sts:AssumeRole")) {
          // A vending role may let its function set the caller as SourceIdentity and tag the session, only while its
          // sts:AssumeRole requires a SourceIdentity: then no session of it is without one.
          if (SOURCE_IDENTITY_ACTIONS.includes(action) && requiresSourceIdentity(policy)) continue;
          report(
            policy.address,
            `${where} allows ${action}; the writer only calls sts:AssumeRole (sts:SetSourceIdentity and sts:TagSession only with sts:AssumeRole requiring Null sts:SourceIdentity "false")`,
          );
        }
      }
    }
  },
);

export const sourceAssumesOnlyOneRole = rule(
  "source-assumes-one-role",
  "A role may sts:AssumeRole only on roles of this stack by reference: a function's role exactly on the destination roles its environment lists, any other role or group only on roles that trust it back (or on one at most)",
  (json, report) => {
    const stackRoles = new Set(resources(json, "aws_iam_role").map(([address]) => reference(address, "arn")));
    // The destination roles each function writes through, from its DESTINATIONS, keyed by the function's role ARN.
    const destinationRoles = new Map<string, Set<string>>();
    for (const [, fn] of resources(json, "aws_lambda_function")) {
      const listed = blocks(fn.environment)[0]?.variables?.[WRITER_ENVIRONMENT.destinations];
      if (typeof fn.role === "string" && typeof listed === "string") {
        destinationRoles.set(
          fn.role,
          new Set((JSON.parse(listed) as { roleArn: string }[]).map((destination) => destination.roleArn)),
        );
      }
    }
    // The principals each role of the stack trusts, by its ARN reference.
    const trusts = new Map(
      resources(json, "aws_iam_role").map(([roleAddress, block]) => [
        reference(roleAddress, "arn"),
        parsePolicy(roleAddress, "trust", block.assume_role_policy).statements.flatMap((statement) =>
          statement.principal === "*" ? ["*"] : (statement.principal?.AWS ?? []),
        ),
      ]),
    );
    const trustedBy = (roleArn: string) => trusts.get(roleArn) ?? [];
    const assumable = new Map<string, { address: string; roles: Set<string> }>();
    // An inventory function's role may also assume its read-only role by name (see inventoryReadRoleProblem).
    const inventories = inventoryRoles(json);
    for (const policy of policies(json).filter((candidate) => candidate.kind === "identity")) {
      reportUnparseable(policy, report);
      const roleId = /^\$\{(aws_iam_role\.[^.}]+)\.(id|name)\}$/.exec(policy.role ?? "")?.[1];
      const inventory = roleId ? inventories.get(reference(roleId, "arn")) : undefined;
      for (const statement of policy.statements.filter((candidate) => candidate.effect === "Allow")) {
        const assumes = statement.hasNotAction || statement.actions.some((action) => grants(action, "sts:AssumeRole"));
        if (!assumes) continue;
        const where = `statement ${statement.sid}`;
        if (statement.hasNotResource) report(policy.address, `${where} allows sts:AssumeRole with NotResource`);
        const readRoles = new Set<string>();
        for (const resource of statement.resources ?? []) {
          const problem = inventory ? inventoryReadRoleProblem(resource, statement, inventory) : "not-inventory";
          if (problem !== "not-inventory") {
            if (problem) report(policy.address, `${where} ${problem}`);
            readRoles.add(resource);
            continue;
          }
          if (withoutReferences(resource).includes("*"))
            report(
              policy.address,
              `${where} allows sts:AssumeRole on ${resource}, a pattern that matches more than one role`,
            );
          else if (!stackRoles.has(resource))
            report(
              policy.address,
              `${where} allows sts:AssumeRole on ${resource}, which is not a role of this stack by reference`,
            );
        }
        const owner = policy.role ?? policy.address;
        const entry = assumable.get(owner) ?? { address: policy.address, roles: new Set<string>() };
        for (const resource of statement.resources ?? []) if (!readRoles.has(resource)) entry.roles.add(resource);
        assumable.set(owner, entry);
      }
    }
    for (const [owner, { address, roles }] of assumable) {
      const role = /^\$\{(aws_iam_role\.[^.}]+)\.(id|name)\}$/.exec(owner);
      const expected = role ? destinationRoles.get(reference(role[1], "arn")) : undefined;
      if (expected) {
        const extra = [...roles].filter((assumed) => !expected.has(assumed));
        if (extra.length > 0)
          report(
            role![1],
            `may assume ${extra.join(", ")}, which its function does not write through (its destinations: ${[...expected].join(", ")})`,
          );
      } else if (roles.size > 1) {
        const principal = role ? reference(role[1], "arn") : undefined;
        const untrusted = [...roles].filter((assumed) => !principal || !trustedBy(assumed).includes(principal));
        const group = /^\$\{(aws_iam_group\.[^.}]+)\.(id|name)\}$/.exec(owner);
        if (group) continue; // a group's users are checked against each role's trust by CKV_AWS_60/61
        if (untrusted.length > 0)
          report(
            role ? role[1] : address,
            `may assume ${roles.size} roles (${[...roles].join(", ")}); more than one only if each trusts it back, ` +
              `and ${untrusted.join(", ")} does not`,
          );
      }
    }
  },
);

export const noWildcardActions = rule(
  "CKV_AWS_63",
  'No Allow statement of any IAM policy grants "*" or "service:*", or uses NotAction',
  (json, report) => {
    for (const policy of policies(json)) {
      reportUnparseable(policy, report);
      // A Deny with s3:* (the TLS-only bucket policy) restricts; only what is allowed matters here.
      for (const statement of policy.statements.filter((candidate) => candidate.effect === "Allow")) {
        if (statement.hasNotAction)
          report(policy.address, `statement ${statement.sid} allows NotAction: every action but the ones named`);
        for (const action of statement.actions.filter(isWildcardAction))
          report(policy.address, `statement ${statement.sid} allows the wildcard action ${action}`);
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
        if (statement.hasNotResource)
          report(policy.address, `statement ${statement.sid} allows NotResource: every resource but the ones named`);
        const wildcards = (statement.resources ?? []).filter(isWildcardResource);
        if (wildcards.length === 0) continue;
        const restrictable = statement.hasNotAction
          ? ["NotAction"]
          : statement.actions.filter((action) => !ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS.includes(action));
        if (restrictable.length > 0)
          report(
            policy.address,
            `statement ${statement.sid} allows ${restrictable.join(", ")} on ${wildcards.join(", ")}`,
          );
      }
    }
  },
);

/** AWS- or customer-managed policies named *FullAccess, and the AWS-managed administrator policies. */
const BROAD_MANAGED_POLICY =
  /^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/(.*\/)?[^/]*FullAccess$|^arn:aws[\w-]*:iam::aws:policy\/(.*\/)?(AdministratorAccess|PowerUserAccess)$/;

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
    const roles = new Map(
      resources(json, "aws_iam_role").map(([address, block]) => [reference(address, "arn"), [address, block] as const]),
    );
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
        const onlyLambda =
          principal !== undefined &&
          principal !== "*" &&
          Object.keys(principal).length === 1 &&
          principal.Service?.length === 1 &&
          principal.Service[0] === "lambda.amazonaws.com";
        if (!onlyLambda)
          report(
            address,
            `${where} trusts ${JSON.stringify(principal)}; only {"Service":"lambda.amazonaws.com"} is allowed`,
          );
        for (const action of statement.actions.filter((candidate) => candidate !== "sts:AssumeRole"))
          report(address, `${where} allows ${action}`);
        const sourceAccounts = conditionValues(statement, "StringEquals", "aws:SourceAccount");
        if (sourceAccounts.length === 0)
          report(address, `${where} has no StringEquals aws:SourceAccount: Lambda of any account could use the role`);
        for (const value of sourceAccounts.filter((candidate) => candidate !== account)) {
          report(
            address,
            `${where} requires aws:SourceAccount ${value}, not the role's own account ${account ?? "(provider has no single allowed account)"}`,
          );
        }
      }
    }
  },
);

export const roleChainingSessionAtMostOneHour = rule(
  "role-chaining-session",
  `A function that assumes a role asks for at most ${MAX_CHAINED_SESSION_SECONDS} s (role chaining), and no more than the role's MaxSessionDuration`,
  (json, report) => {
    const maxDurations = new Map(
      resources(json, "aws_iam_role").map(([address, block]) => [
        reference(address, "arn"),
        Number(block.max_session_duration ?? 3600),
      ]),
    );
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      const variables: Record<string, unknown> = blocks(fn.environment)[0]?.variables ?? {};
      const destinations = variables[WRITER_ENVIRONMENT.destinations];
      if (destinations === undefined) continue;
      // The vend function asks per caller: the longest a caller may ask for, capped by the function at 3600 s.
      const callers = variables[VEND_ENVIRONMENT.callers];
      const requested =
        callers === undefined
          ? variables[WRITER_ENVIRONMENT.sessionDurationSeconds]
          : Math.max(
              ...(JSON.parse(String(callers)) as { maxDurationSeconds?: number }[]).map(
                (caller) => caller.maxDurationSeconds ?? MAX_DURATION_SECONDS,
              ),
            );
      const seconds = Number(requested);
      for (const { roleArn } of JSON.parse(String(destinations)) as { roleArn: string }[]) {
        const limit = Math.min(MAX_CHAINED_SESSION_SECONDS, maxDurations.get(roleArn) ?? MAX_CHAINED_SESSION_SECONDS);
        if (!Number.isInteger(seconds) || seconds < 900 || seconds > limit) {
          report(
            address,
            `${callers === undefined ? WRITER_ENVIRONMENT.sessionDurationSeconds : "the longest caller session"} is ${JSON.stringify(requested)}; a chained session of ${roleArn} may last 900-${limit} s`,
          );
        }
      }
    }
  },
);
