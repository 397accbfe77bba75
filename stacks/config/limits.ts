/** Destinations one stack may have: the writer carries all of them in its 4 KB Lambda environment. */
export const MAX_DESTINATIONS = 10;
/** Lambda's limit on all environment variables of a function together. */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;
/** Principals besides the writer that one destination role may trust, config-wide and its own together. */
export const MAX_TRUSTED_PRINCIPALS = 20;
/** The shortest session STS hands out. */
export const MIN_SESSION_SECONDS = 900;
/** Role chaining (the writer's Lambda role assuming the destination role) caps a session at one hour. */
export const MAX_CHAINED_SESSION_SECONDS = 3600;
/** The range IAM allows for a role's MaxSessionDuration: 1 to 12 hours. */
export const MIN_ROLE_MAX_SESSION_SECONDS = 3600;
export const MAX_ROLE_MAX_SESSION_SECONDS = 43200;
/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
/**
 * IAM's quotas on policy sizes, in characters without whitespace (IAM does not count it): a role's trust policy (the
 * default; Service Quotas can raise it per account), and all inline policies of a role, or of a group, together.
 */
export const ROLE_TRUST_POLICY_CHARS = 2048;
/** The most a role's trust policy quota can be raised to (the same page), what `roleTrustPolicyQuota` may say. */
export const MAX_ROLE_TRUST_POLICY_CHARS = 4096;
export const ROLE_INLINE_POLICIES_CHARS = 10240;
export const GROUP_INLINE_POLICIES_CHARS = 5120;
/** The most a Lambda function's resource-based policy may hold: 20 KB, not adjustable (Lambda quotas). */
export const LAMBDA_RESOURCE_POLICY_BYTES = 20 * 1024;
/**
 * How long a statement id CloudFormation generates for an AWS::Lambda::Permission is counted when measuring a
 * function's policy: an assumed bound (the stack's own ids are cut at 100 too), not a documented one.
 */
export const COUNTED_GENERATED_STATEMENT_ID_CHARS = 100;
