import type { TerraformJson } from "../synth";
import {
  tableCustomerManagedKey,
  tableDeletionProtection,
  tableEncryptionKeyWritten,
  tableOnDemand,
  tablePointInTimeRecovery,
} from "./dynamodb";
import {
  lambdaTrustWithSourceAccount,
  noFullAccessPolicies,
  noWildcardActions,
  noWildcardResources,
  roleChainingSessionAtMostOneHour,
  sourceAssumesOnlyOneRole,
  trustsExactlyTheWriterRole,
} from "./iam";
import { stackSetReadRole } from "./inventory";
import {
  lambdaDeadLetterQueue,
  lambdaNoSecretsInEnvironment,
  lambdaNotPublic,
  lambdaReservedConcurrency,
  lambdaSupportedRuntime,
  lambdaTracing,
  logGroupRetention,
} from "./lambda";
import { organizationWildcardTrust, organizationWriterMemberRole } from "./organization-writer";
import type { Finding, Rule } from "./rule";
import {
  bucketDeniesInsecureTransport,
  bucketEncrypted,
  bucketLifecycleAbortsIncompleteUploads,
  bucketOwnerEnforced,
  bucketPublicAccessBlocked,
  bucketVersioned,
} from "./s3";

export * from "./dynamodb";
export * from "./iam";
export * from "./inventory";
export * from "./lambda";
export * from "./organization-writer";
export type { Finding, Rule } from "./rule";
export * from "./s3";

/** Every rule, in the order of the security page's table. */
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
  tableEncryptionKeyWritten,
  tableCustomerManagedKey,
  lambdaSupportedRuntime,
  lambdaNotPublic,
  logGroupRetention,
  lambdaNoSecretsInEnvironment,
  lambdaTracing,
  lambdaReservedConcurrency,
  lambdaDeadLetterQueue,
  stackSetReadRole,
  organizationWildcardTrust,
  organizationWriterMemberRole,
];

/** The findings of some rules (default: all) on a synthesized stack. */
export function check(json: TerraformJson, rules: readonly Rule[] = ALL_RULES): Finding[] {
  return rules.flatMap((candidate) => candidate.check(json));
}
