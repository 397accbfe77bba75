import type { PolicyDocument } from "../../stacks/policy-document";

/** Where a resource lives: the account and region of the provider it names. */
export interface ResourceLocation {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

/** A policy attached to a principal, with the name IAM knows it by. */
export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}

/** An IAM role as deployed: its real ARN, its inline policies and its trust policy, all references resolved. */
export interface ResolvedRole extends ResourceLocation {
  readonly name: string;
  readonly arn: string;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly trustPolicy: PolicyDocument;
}

/** An S3 bucket as deployed: its ARN, its bucket policy (if any) and whether RestrictPublicBuckets is on. */
export interface ResolvedBucket extends ResourceLocation {
  readonly name: string;
  readonly arn: string;
  readonly policy?: PolicyDocument;
  readonly restrictPublicBuckets: boolean;
}

/** A resource known only by its ARN (table, log group). */
export interface ResolvedResource extends ResourceLocation {
  readonly name: string;
  readonly arn: string;
}
