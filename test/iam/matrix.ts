import { WRITER_ENVIRONMENT } from "../../functions/writer/environment";
import {
  ADMINISTRATOR_ACCESS,
  ASSUME_ANY_ROLE,
  type Caller,
  type ContextValues,
  type Decision,
  evaluate,
  type Outcome,
  principal,
  roleSession,
  type Target,
} from "../../scripts/access-map/evaluate";
import type { ResolvedStack } from "./resolved-stack";

// The IAM evaluation matrix: the policies exactly as synthesized (real-accounts config, so the bucket policy is in),
// references resolved to real ARNs, evaluated by @cloud-copilot/iam-simulate. Each name states the decision.

export const EXTERNAL_ID = "partner-7f3a";
export const ORGANIZATION_ID = "o-a1b2c3d4e5";
export const THIRD_ACCOUNT_ID = "333333333333";
/** The object the write cases put: `<prefix>/<this>`. */
export const OBJECT_NAME = "0b6f3c1e-3d2a-4d0e-9a57-1f6d2c9a8b7e.json";

const LABEL: Record<Decision, string> = {
  Allowed: "ALLOWED",
  ImplicitlyDenied: "DENIED (implicitly)",
  ExplicitlyDenied: "DENIED (explicitly)",
};

/** What a case asserts besides the decision, and the request context it adds. */
export interface CaseOptions {
  readonly context?: ContextValues;
  /** Same-account evaluation (no resource policy needed) or cross-account (both sides must allow). */
  readonly sameAccount?: boolean;
  /** The resource policy's own verdict, e.g. ExplicitlyDenied when the bucket policy's Deny applies. */
  readonly resourcePolicyResult?: string;
}

/** One request and the decision IAM must reach on it. */
export interface Case extends CaseOptions {
  readonly expected: Decision;
  readonly what: string;
  readonly caller: () => Caller;
  readonly action: string;
  readonly target: () => Target;
}

/** A case builder: `allowed(what, caller, action, target, options?)`. */
export type CaseBuilder = (
  what: string,
  caller: () => Caller,
  action: string,
  target: () => Target,
  options?: CaseOptions,
) => Case;

const decided =
  (expected: Decision): CaseBuilder =>
  (what, caller, action, target, options = {}) => ({ expected, what, caller, action, target, ...options });

/** A request IAM allows. */
export const allowed = decided("Allowed");
/** A request no policy allows. */
export const denied = decided("ImplicitlyDenied");
/** A request a Deny statement refuses. */
export const explicitlyDenied = decided("ExplicitlyDenied");

/** Builders for cases of one action on one target: `assumeDestination.denied(what, caller, options?)`. */
export function request(action: string, target: () => Target) {
  const partial = (builder: CaseBuilder) => (what: string, caller: () => Caller, options?: CaseOptions) =>
    builder(what, caller, action, target, options);
  return { allowed: partial(allowed), denied: partial(denied), explicitlyDenied: partial(explicitlyDenied) };
}

/** One test per case, named "<DECISION>: <what>". */
export function matrix(cases: readonly Case[]): void {
  for (const { expected, what, caller, action, target, context, sameAccount, resourcePolicyResult } of cases) {
    test(`${LABEL[expected]}: ${what}`, async () => {
      const outcome: Outcome = await evaluate(caller(), action, target(), context);
      expect(outcome.decision).toBe(expected);
      if (sameAccount !== undefined) expect(outcome.sameAccount).toBe(sameAccount);
      if (resourcePolicyResult !== undefined) expect(outcome.resourcePolicyResult).toBe(resourcePolicyResult);
    });
  }
}

/** The principals and resources of one synthesized config. */
export function actors(stack: ResolvedStack) {
  const { source, names } = stack.config;
  const [destination] = stack.config.destinations;
  const writerRole = stack.role(names.writerRole);
  const destinationRole = stack.role(destination.role);
  const environment: Record<string, string> = stack.synth.resource("aws_lambda_function").block.environment.variables;
  const sessionName = environment[WRITER_ENVIRONMENT.roleSessionName];
  return {
    source,
    destination,
    names,
    writerRole,
    destinationRole,
    table: stack.table(),
    bucket: stack.bucket(),
    logGroup: stack.logGroup(),
    environment,
    /** The writer Lambda's credentials: a session of its execution role named after the function. */
    writer: (context: ContextValues = {}) => roleSession(writerRole, names.writerFunction, context),
    /** The session the writer opens in the destination, with the session name from its environment. */
    destinationSession: () => roleSession(destinationRole, sessionName),
    /** Another role of the source account whose own policy lets it assume any role. */
    otherSourceRole: (context: ContextValues = {}) =>
      principal(`arn:aws:iam::${source.accountId}:role/deploy-pipeline`, [ASSUME_ANY_ROLE], context),
    /** An IAM user of the source account with AdministratorAccess. */
    sourceAdministrator: (context: ContextValues = {}) =>
      principal(`arn:aws:iam::${source.accountId}:user/admin`, [ADMINISTRATOR_ACCESS], context),
  };
}

/** A principal of an account by its ARN tail (`root`, `role/name`, `user/name`), allowed `*` by its own policy. */
export const administratorOf = (accountId: string, name: string): Caller =>
  principal(`arn:aws:iam::${accountId}:${name}`, [ADMINISTRATOR_ACCESS]);
