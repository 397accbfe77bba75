import { anonymousPrincipal, runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { type PolicyDocument, type PolicyStatement, policyDocument } from "../../stacks/policy-document";
import type { NamedPolicy, ResolvedBucket, ResolvedResource, ResolvedRole } from "./resolved";

/** What IAM decides for one request. */
export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** Request context keys and their values, as IAM would see them. */
export type ContextValues = Record<string, string | string[]>;

/** Who makes a request: the principal, the identity policies it carries and the context keys AWS sets for it. */
export interface Caller {
  readonly principal: Simulation["request"]["principal"];
  readonly identityPolicies: readonly NamedPolicy[];
  /** aws:PrincipalArn, aws:PrincipalAccount, ...: the evaluator does not derive them from the principal. */
  readonly context: ContextValues;
  /** The inline session policy its session was created with (AssumeRole's Policy). @default - none */
  readonly sessionPolicy?: PolicyDocument;
  /** Its permissions boundary. @default - none */
  readonly permissionsBoundary?: PolicyDocument;
  /** The SCPs of its account, one organization level: include an Allow (FullAWSAccess). @default - no organization */
  readonly serviceControlPolicies?: readonly NamedPolicy[];
}

/** What a request acts on: the resource ARN, the account that owns it and its resource policy, if any. */
export interface Target {
  readonly arn: string;
  /** The owning account; decides same- vs cross-account evaluation (S3 ARNs carry no account). */
  readonly accountId: string;
  /** A bucket policy, or for sts:AssumeRole the role's trust policy. */
  readonly resourcePolicy?: PolicyDocument;
  /** S3 RestrictPublicBuckets of the bucket. */
  readonly restrictPublicBuckets?: boolean;
}

/** The evaluator's answer, reduced to what the matrix asserts. */
export interface Outcome {
  readonly decision: Decision;
  readonly sameAccount: boolean;
  /** The resource (or trust) policy's own verdict: NotApplicable without one. */
  readonly resourcePolicyResult?: string;
}

// Every call of the writer goes through the AWS SDK over HTTPS; a test that means plain HTTP says so.
const REQUEST_DEFAULTS: ContextValues = { "aws:SecureTransport": "true" };

/**
 * Evaluates one request with the real IAM policy evaluator (strict mode: exactly the given context). Throws when
 * the evaluator rejects its input, answers for a wildcard, or ignores a context key, so a malformed case can never
 * pass as a deny.
 */
export async function evaluate(
  caller: Caller,
  action: string,
  target: Target,
  context: ContextValues = {},
): Promise<Outcome> {
  const simulation: Simulation = {
    request: {
      principal: caller.principal,
      action,
      resource: { resource: target.arn, accountId: target.accountId },
      contextVariables: { ...REQUEST_DEFAULTS, ...caller.context, ...context },
    },
    identityPolicies: caller.identityPolicies.map(({ name, policy }) => ({ name, policy })),
    ...(caller.sessionPolicy ? { sessionPolicy: caller.sessionPolicy } : {}),
    serviceControlPolicies: caller.serviceControlPolicies
      ? [
          {
            orgIdentifier: String(caller.context["aws:PrincipalAccount"]),
            policies: [...caller.serviceControlPolicies],
          },
        ]
      : [],
    ...(caller.permissionsBoundary
      ? { permissionBoundaryPolicies: [{ name: "permissions-boundary", policy: caller.permissionsBoundary }] }
      : {}),
    resourceControlPolicies: [],
    resourcePolicy: target.resourcePolicy,
    additionalSettings:
      target.restrictPublicBuckets === undefined
        ? undefined
        : { s3: { blockPublicAccess: target.restrictPublicBuckets } },
  };
  const result = await runSimulation(simulation, {});
  const request = `${typeof caller.principal === "string" ? caller.principal : "anonymous"} ${action} ${target.arn}`;
  if (result.resultType === "error")
    throw new Error(`the evaluator rejected ${request}: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== "single")
    throw new Error(`expected a single-resource result for ${request}, got ${result.resultType}`);
  const ignored = result.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) throw new Error(`the evaluator ignored context keys ${ignored.join(", ")} for ${request}`);
  return {
    decision: result.overallResult,
    sameAccount: result.result.analysis.sameAccount,
    resourcePolicyResult: result.result.analysis.resourceAnalysis?.result,
  };
}

/** The account id in an IAM or STS ARN; an OU or root id where a StackSet role stands for each account of it. */
export function accountOf(arn: string): string {
  const account = arn.split(":")[4];
  if (!/^(\d{12}|ou-[0-9a-z]+-[0-9a-z]+|r-[0-9a-z]+)$/.test(account ?? "")) throw new Error(`no account id in ${arn}`);
  return account;
}

/** A session of a role, as a Lambda or an AssumeRole caller uses it: aws:PrincipalArn is the role's ARN. */
export function roleSession(role: ResolvedRole, sessionName: string, context: ContextValues = {}): Caller {
  return {
    principal: `arn:${role.partition}:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
    identityPolicies: role.identityPolicies,
    context: { "aws:PrincipalArn": role.arn, "aws:PrincipalAccount": role.accountId, ...context },
  };
}

/** The role itself as the principal (how a resource policy naming the role ARN sees any of its sessions). */
export function roleItself(role: ResolvedRole, context: ContextValues = {}): Caller {
  return principal(role.arn, role.identityPolicies, context);
}

/** Any IAM principal (user, role, account root) by ARN, carrying the given identity policies. */
export function principal(arn: string, identityPolicies: readonly NamedPolicy[], context: ContextValues = {}): Caller {
  return {
    principal: arn,
    identityPolicies,
    context: { "aws:PrincipalArn": arn, "aws:PrincipalAccount": accountOf(arn), ...context },
  };
}

/** An AWS service principal such as lambda.amazonaws.com, with the context keys it sends. */
export function servicePrincipal(service: string, context: ContextValues = {}): Caller {
  return { principal: service, identityPolicies: [], context };
}

/** An unsigned request: no identity, no policies. */
export const anonymous: Caller = { principal: anonymousPrincipal, identityPolicies: [], context: {} };

/** An identity policy made of the given statements. */
export function identityPolicy(name: string, ...statements: PolicyStatement[]): NamedPolicy {
  return { name, policy: policyDocument(...statements) };
}

/** AdministratorAccess: every action on every resource. */
export const ADMINISTRATOR_ACCESS = identityPolicy("AdministratorAccess", {
  Effect: "Allow",
  Action: "*",
  Resource: "*",
});

/** A policy that lets its holder assume any role. */
export const ASSUME_ANY_ROLE = identityPolicy("assume-any-role", {
  Effect: "Allow",
  Action: "sts:AssumeRole",
  Resource: "*",
});

/** sts:AssumeRole on a role: its trust policy is the resource policy. */
export function assumeTarget(role: Pick<ResolvedRole, "arn" | "accountId" | "trustPolicy">): Target {
  return { arn: role.arn, accountId: role.accountId, resourcePolicy: role.trustPolicy };
}

/** A table or log group (no resource policy), or an ARN inside it. */
export function resourceTarget(resource: Pick<ResolvedResource, "accountId">, arn: string): Target {
  return { arn, accountId: resource.accountId };
}

/** An object or the bucket itself, with the bucket's policy and public access block. */
export function bucketTarget(bucket: ResolvedBucket, key?: string): Target {
  return {
    arn: key === undefined ? bucket.arn : `${bucket.arn}/${key}`,
    accountId: bucket.accountId,
    resourcePolicy: bucket.policy,
    restrictPublicBuckets: bucket.restrictPublicBuckets,
  };
}
