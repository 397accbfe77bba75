import { partitionOf } from "../../scripts/access-map/partition";
import type {
  ResolvedBucket,
  ResolvedResource,
  ResolvedRole,
  ResourceLocation,
} from "../../scripts/access-map/resolved";
import type { AccountConfig, CrossAccountConfig } from "../../stacks/config";
import type { PolicyDocument } from "../../stacks/policy-document";
import type { SynthesizedStack, TerraformBlock } from "../synth";

export type {
  NamedPolicy,
  ResolvedBucket,
  ResolvedResource,
  ResolvedRole,
  ResourceLocation,
} from "../../scripts/access-map/resolved";
export { partitionOf };

// A Terraform reference, or an IAM policy variable escaped for Terraform ("$${aws:...}", a literal "${aws:...}").
const PROVIDER_ALIAS = /^aws\.(source|organization|central|destination(?:-\d{12}-[a-z0-9-]+)?)$/;
const REFERENCE = /\$?\$\{([^}]*)\}/g;
const ARN_TYPES: readonly string[] = [
  "aws_iam_role",
  "aws_dynamodb_table",
  "aws_s3_bucket",
  "aws_cloudwatch_log_group",
];
const RESOURCE_ATTRIBUTE = /^([a-z0-9_]+)\.([^.\s]+)\.([a-z_]+)$/;

// Attachments and resource policies the matrix does not model: if the stack ever creates one, evaluating without it
// would be wrong, so the resolver refuses.
const UNMODELLED_TYPES = [
  "aws_iam_role_policy_attachment",
  "aws_iam_policy_attachment",
  "aws_iam_role_policies_exclusive",
  "aws_iam_role_policy_attachments_exclusive",
  "aws_dynamodb_resource_policy",
  "aws_s3_bucket_acl",
  "aws_s3_access_point",
  "aws_organizations_policy",
] as const;
const UNMODELLED_ROLE_ARGUMENTS = ["inline_policy", "managed_policy_arns", "permissions_boundary"] as const;

/**
 * The synthesized stack with every Terraform reference in its IAM documents replaced by the real ARN it will have
 * once deployed. Anything it cannot resolve throws, so no `${...}` silently reaches the evaluator.
 */
export class ResolvedStack {
  constructor(
    readonly synth: SynthesizedStack,
    readonly config: CrossAccountConfig,
  ) {
    for (const type of UNMODELLED_TYPES) {
      const ids = Object.keys(synth.resources(type));
      if (ids.length > 0)
        throw new Error(
          `${type} (${ids.join(", ")}) is not modelled by the IAM matrix; extend test/iam/resolved-stack.ts`,
        );
    }
  }

  /** The account and region of a resource, from its provider alias, checked against the provider block and config. */
  location(type: string, id: string): ResourceLocation {
    const block = this.block(type, id);
    const alias = PROVIDER_ALIAS.exec(String(block.provider))?.[1];
    if (!alias)
      throw new Error(
        `${type}.${id} names provider ${JSON.stringify(block.provider)}, expected aws.source or aws.destination[-<account>-<region>]`,
      );
    const provider = this.synth.json.provider?.aws?.find((candidate) => candidate.alias === alias);
    if (!provider) throw new Error(`no aws provider with alias ${alias} for ${type}.${id}`);
    const { source, inventory, organizationWriter: writer } = this.config;
    const byAlias: Record<string, readonly (AccountConfig | undefined)[]> = {
      source: [source],
      central: [writer?.central],
      organization: [inventory?.organization ?? writer?.organization],
    };
    const accounts = (byAlias[alias] ?? this.config.destinations).filter((account) => account !== undefined);
    const account = accounts.find(
      (candidate) =>
        JSON.stringify(provider.allowed_account_ids) === JSON.stringify([candidate.accountId]) &&
        provider.region === candidate.region,
    );
    if (!account) {
      throw new Error(
        `provider ${alias} (${provider.allowed_account_ids}, ${provider.region}) matches no ${alias === "source" ? "source" : "destination"} account and region of the config`,
      );
    }
    return { accountId: account.accountId, region: account.region, partition: partitionOf(account.region) };
  }

  /** The ARN a resource will have once deployed. */
  arn(type: string, id: string): string {
    if (!ARN_TYPES.includes(type))
      throw new Error(`cannot resolve the ARN of ${type}.${id}: unsupported resource type`);
    const { accountId, region, partition } = this.location(type, id);
    const name = this.literal(type, id, type === "aws_s3_bucket" ? "bucket" : "name");
    switch (type) {
      case "aws_iam_role": {
        const path: unknown = this.block(type, id).path ?? "/";
        if (typeof path !== "string" || !/^\/([\w+=,.@-]+\/)*$/.test(path))
          throw new Error(`aws_iam_role.${id}.path ${JSON.stringify(path)} is not a literal IAM path`);
        return `arn:${partition}:iam::${accountId}:role${path}${name}`;
      }
      case "aws_dynamodb_table":
        return `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`;
      case "aws_s3_bucket":
        return `arn:${partition}:s3:::${name}`;
      case "aws_cloudwatch_log_group":
        return `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
      default:
        throw new Error(`cannot resolve the ARN of ${type}.${id}: unsupported resource type`);
    }
  }

  /** A string with every `${type.id.arn}` replaced by the ARN; throws on any other reference. */
  resolve(text: string): string {
    const resolved = text.replace(REFERENCE, (reference: string, expression: string) => {
      if (reference.startsWith("$$")) return reference.slice(1);
      const match = RESOURCE_ATTRIBUTE.exec(expression);
      if (match?.[3] !== "arn")
        throw new Error(`cannot resolve Terraform reference ${reference}: only \${<type>.<id>.arn} is supported`);
      return this.arn(match[1], match[2]);
    });
    if (/\$\{(?!aws:)/.test(resolved)) throw new Error(`unresolved Terraform reference left in ${resolved}`);
    return resolved;
  }

  /** A JSON policy argument of a block, references resolved, parsed. */
  policy(block: TerraformBlock, argument = "policy"): PolicyDocument {
    const text = block[argument];
    if (typeof text !== "string") throw new Error(`${argument} is not a JSON string: ${JSON.stringify(text)}`);
    return JSON.parse(this.resolve(text)) as PolicyDocument;
  }

  /**
   * A role by name, with every aws_iam_role_policy attached to it and its trust policy; where several accounts have a
   * role of that name (the inventory's read-only role), the one in `accountId`.
   */
  role(name: string, accountId?: string): ResolvedRole {
    const id = this.named("aws_iam_role", name, { accountId });
    const block = this.block("aws_iam_role", id);
    const unmodelled = UNMODELLED_ROLE_ARGUMENTS.find((argument) => block[argument] !== undefined);
    if (unmodelled) throw new Error(`aws_iam_role.${id} sets ${unmodelled}, which the IAM matrix does not model`);
    const identityPolicies = Object.entries(this.synth.resources("aws_iam_role_policy"))
      .filter(
        ([policyId, policy]) =>
          this.target(`aws_iam_role_policy.${policyId}`, policy.role, "aws_iam_role", "name") === id,
      )
      .map(([policyId, policy]) => ({
        name: this.literal("aws_iam_role_policy", policyId, "name"),
        policy: this.policy(policy),
      }));
    return {
      ...this.location("aws_iam_role", id),
      name,
      arn: this.arn("aws_iam_role", id),
      identityPolicies,
      trustPolicy: this.policy(block, "assume_role_policy"),
    };
  }

  /** The bucket of the stack (the one named `name` when there are several), with the policy and public access block that name it. */
  bucket(name?: string): ResolvedBucket {
    const { id, block } =
      name === undefined ? this.synth.resource("aws_s3_bucket") : this.synth.resource("aws_s3_bucket", "bucket", name);
    if (block.policy !== undefined)
      throw new Error(`aws_s3_bucket.${id} sets an inline policy, which the IAM matrix does not model`);
    const attached = (type: string) =>
      Object.entries(this.synth.resources(type)).filter(
        ([attachedId, attachedBlock]) =>
          this.target(`${type}.${attachedId}`, attachedBlock.bucket, "aws_s3_bucket", "bucket") === id,
      );
    const policies = attached("aws_s3_bucket_policy");
    if (policies.length > 1) throw new Error(`more than one aws_s3_bucket_policy names aws_s3_bucket.${id}`);
    const accessBlocks = attached("aws_s3_bucket_public_access_block");
    return {
      ...this.location("aws_s3_bucket", id),
      name: this.literal("aws_s3_bucket", id, "bucket"),
      arn: this.arn("aws_s3_bucket", id),
      policy: policies.length === 1 ? this.policy(policies[0][1]) : undefined,
      restrictPublicBuckets: accessBlocks.some(([, accessBlock]) => accessBlock.restrict_public_buckets === true),
    };
  }

  /** The DynamoDB table of the stack; with several, the one of that name made by the provider of `location`. */
  table(name?: string, location?: Pick<ResolvedResource, "accountId" | "region">): ResolvedResource {
    if (name === undefined) return this.plain("aws_dynamodb_table", "name");
    const id = this.named("aws_dynamodb_table", name, location ?? {});
    return { ...this.location("aws_dynamodb_table", id), name, arn: this.arn("aws_dynamodb_table", id) };
  }

  /** The one CloudWatch log group of the stack. */
  logGroup(): ResolvedResource {
    return this.plain("aws_cloudwatch_log_group", "name");
  }

  private plain(type: string, nameArgument: string): ResolvedResource {
    const { id } = this.synth.resource(type);
    return { ...this.location(type, id), name: this.literal(type, id, nameArgument), arn: this.arn(type, id) };
  }

  /** The logical id of the one `type` resource called `name`, made by the provider of `location` where given. */
  private named(type: string, name: string, location: Partial<Pick<ResolvedResource, "accountId" | "region">>): string {
    const { accountId, region } = location;
    const matches = Object.keys(this.synth.resources(type)).filter((id) => {
      if (this.block(type, id).name !== name) return false;
      const where = accountId === undefined && region === undefined ? undefined : this.location(type, id);
      return (
        !where || ((accountId ?? where.accountId) === where.accountId && (region ?? where.region) === where.region)
      );
    });
    if (matches.length !== 1)
      throw new Error(`expected one ${type} ${name} ${JSON.stringify(location)}, found ${matches.length}`);
    return matches[0];
  }

  private block(type: string, id: string): TerraformBlock {
    const block = this.synth.resources(type)[id];
    if (!block) throw new Error(`cannot resolve ${type}.${id}: no such resource in the synthesized stack`);
    return block;
  }

  private literal(type: string, id: string, argument: string): string {
    const value = this.block(type, id)[argument];
    if (typeof value !== "string" || value.includes("${")) {
      throw new Error(
        `${type}.${id}.${argument} must be a literal string to build an ARN, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  /**
   * The logical id of the `targetType` resource an argument (e.g. a role policy's `role`) points at: a
   * `${type.id.id}` / `${type.id.<nameArgument>}` reference or the literal name. Throws for anything else.
   */
  private target(owner: string, value: unknown, targetType: string, nameArgument: string): string {
    if (typeof value !== "string")
      throw new Error(`${owner} points at ${JSON.stringify(value)}, expected a ${targetType}`);
    const reference = /^\$\{([^}]*)\}$/.exec(value);
    if (reference) {
      const match = RESOURCE_ATTRIBUTE.exec(reference[1]);
      if (!match || match[1] !== targetType || !["id", nameArgument].includes(match[3])) {
        throw new Error(`${owner} points at ${value}, expected \${${targetType}.<id>.id}`);
      }
      this.block(targetType, match[2]);
      return match[2];
    }
    if (value.includes("${")) throw new Error(`${owner} points at ${value}, which the resolver cannot follow`);
    const byName = Object.entries(this.synth.resources(targetType)).filter(
      ([, block]) => block[nameArgument] === value,
    );
    if (byName.length !== 1)
      throw new Error(`${owner} names ${JSON.stringify(value)}, which is not one ${targetType} of the stack`);
    return byName[0][0];
  }
}
