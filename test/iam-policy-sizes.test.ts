import * as v from "valibot";
import { ConfigError, type CrossAccountConfigInput, resolveConfig } from "../stacks/config";
import { destinationsOf } from "../stacks/config/defaults";
import { iamEntitiesOf } from "../stacks/config/iam-entities";
import { MEMBER_ACCOUNT_ID, stackSetAccounts } from "../stacks/config/iam-entities-organization";
import { inlineChars, inlineQuota, policyChars } from "../stacks/config/iam-policy-sizes";
import { ROLE_TRUST_POLICY_CHARS } from "../stacks/config/limits";
import { configFileSchema } from "../stacks/config/schema";
import { inAccount } from "../stacks/organization-writer/member-role-template";
import type { PolicyDocument } from "../stacks/policy-document";
import { ResolvedStack } from "./iam/resolved-stack";
import { BIGGEST_BOUNDED, EVERY_PATTERN } from "./iam-policy-size-configs";
import { REAL_ACCOUNTS, synthesize, type TerraformBlock } from "./synth";

/** A role or group as IAM sizes it: its trust policy, and all its inline policies together. */
interface MeasuredEntity {
  readonly kind: "role" | "group";
  readonly name: string;
  readonly account: string;
  readonly trustChars?: number;
  readonly inlineChars: number;
}

const identity = (entity: MeasuredEntity) => `${entity.kind} ${entity.name} in ${entity.account}`;
const sorted = (entities: MeasuredEntity[]) => entities.sort((a, b) => identity(a).localeCompare(identity(b)));
const sum = (documents: readonly PolicyDocument[]) => documents.reduce((total, d) => total + policyChars(d), 0);

/** The logical id a `${<type>.<id>.id}` reference (a role policy's `role`, a group policy's `group`) points at. */
function referencedId(value: unknown, type: string): string {
  const match = new RegExp(`^\\$\\{${type}\\.([^.]+)\\.id\\}$`).exec(String(value));
  if (!match) throw new Error(`expected a reference to a ${type}'s id, got ${JSON.stringify(value)}`);
  return match[1];
}

/** The roles of the StackSets' templates, as CloudFormation makes them in an account of their OUs. */
function stackSetRoles(resolved: ResolvedStack): MeasuredEntity[] {
  return Object.values(resolved.synth.resources("aws_cloudformation_stack_set")).flatMap((stackSet) => {
    const parameters: Record<string, string> = { "AWS::AccountId": MEMBER_ACCOUNT_ID };
    for (const [key, value] of Object.entries(stackSet.parameters ?? {}))
      parameters[key] = resolved.resolve(String(value));
    const template = JSON.parse(stackSet.template_body) as { Resources: Record<string, TerraformBlock> };
    return Object.values(template.Resources)
      .filter((resource) => resource.Type === "AWS::IAM::Role")
      .map((resource) => {
        const role = inAccount(resource.Properties, parameters) as TerraformBlock;
        return {
          kind: "role" as const,
          name: role.RoleName,
          account: stackSetAccounts(stackSet.name),
          trustChars: policyChars(role.AssumeRolePolicyDocument),
          inlineChars: sum((role.Policies ?? []).map((policy: TerraformBlock) => policy.PolicyDocument)),
        };
      });
  });
}

/**
 * Every role and group of a config's synthesized stack with the size IAM will count for its policies: each Terraform
 * reference replaced by the ARN it will have (test/iam/resolved-stack.ts), StackSet parameters filled in.
 */
function measuredFromSynth(input: CrossAccountConfigInput): MeasuredEntity[] {
  const resolved = new ResolvedStack(synthesize(input), resolveConfig(input));
  const { synth } = resolved;
  for (const type of ["aws_iam_user_policy", "aws_iam_policy", "aws_iam_group_policy_attachment"])
    expect(Object.keys(synth.resources(type))).toEqual([]);
  const policies = (type: string, owner: string, id: string) =>
    Object.values(synth.resources(type))
      .filter((policy) => referencedId(policy[owner], `aws_iam_${owner}`) === id)
      .map((policy) => resolved.policy(policy));
  const roles = Object.entries(synth.resources("aws_iam_role")).map(([id, role]) => ({
    kind: "role" as const,
    name: String(role.name),
    account: resolved.location("aws_iam_role", id).accountId,
    trustChars: policyChars(resolved.policy(role, "assume_role_policy")),
    inlineChars: sum(policies("aws_iam_role_policy", "role", id)),
  }));
  const groups = Object.entries(synth.resources("aws_iam_group")).map(([id, group]) => ({
    kind: "group" as const,
    name: String(group.name),
    account: resolved.location("aws_iam_group", id).accountId,
    inlineChars: sum(policies("aws_iam_group_policy", "group", id)),
  }));
  return sorted([...roles, ...groups, ...stackSetRoles(resolved)]);
}

/** The same, from the config alone: what the size rules measure. */
function measuredFromConfig(input: CrossAccountConfigInput): MeasuredEntity[] {
  const file = v.parse(configFileSchema, input);
  return sorted(
    iamEntitiesOf(file, destinationsOf(file)).map((entity) => ({
      kind: entity.kind,
      name: entity.name,
      account: entity.account,
      ...(entity.trustPolicy ? { trustChars: policyChars(entity.trustPolicy) } : {}),
      inlineChars: inlineChars(entity),
    })),
  );
}

/**
 * The singular destination's role trusting the writer and one role, with an externalId of 700 characters: a trust
 * policy of exactly `chars` characters (1,890 or more), made by the length of that role's path.
 */
function trustPolicyOf(chars: number): CrossAccountConfigInput {
  const path = "p".repeat(chars - 1889);
  return {
    ...REAL_ACCOUNTS,
    externalId: "e".repeat(700),
    trustedPrincipals: [{ arn: `arn:aws:iam::444444444444:role/${path}/${"r".repeat(64)}` }],
  };
}

describe("IAM's quotas on policy sizes [aws-rule iam-policy-size-quotas]", () => {
  test.each([
    ["one destination with the defaults", REAL_ACCOUNTS],
    ["every pattern and every option that changes a policy", EVERY_PATTERN],
    ["the bounded policies at their largest", BIGGEST_BOUNDED],
  ])(
    "the rules measure what the stack makes (%s): every role and group, with the size of its trust policy and of its inline policies together",
    (_name, input) => {
      expect(measuredFromConfig(input)).toEqual(measuredFromSynth(input));
    },
  );

  test("the policies no config can push past a quota fit with room to spare at their largest", () => {
    const largest = measuredFromSynth(BIGGEST_BOUNDED);
    for (const entity of largest) {
      expect(entity.trustChars ?? 0).toBeLessThanOrEqual(ROLE_TRUST_POLICY_CHARS);
      expect(entity.inlineChars).toBeLessThanOrEqual(inlineQuota(entity));
    }
    // Ten destination roles of the longest names: the most the writer's role and an operator group ever hold.
    expect(largest.find((entity) => entity.name.startsWith("writer-"))?.inlineChars).toBeLessThan(3000);
    expect(largest.find((entity) => entity.kind === "group")?.inlineChars).toBeLessThan(1500);
  });

  test("a trust policy of 2048 characters passes and is synthesized at that size; one of 2049 is refused", () => {
    const atQuota = measuredFromSynth(trustPolicyOf(2048)).find(
      (entity) => entity.name === "assume-role-via-123456789012",
    );
    expect(atQuota?.trustChars).toBe(2048);
    let problems: readonly string[] = [];
    try {
      resolveConfig(trustPolicyOf(2049));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(
        /^destination: the trust policy of role assume-role-via-123456789012 in account 210987654321 would be 2049 characters \(not counting whitespace\), more than the 2048 IAM allows/,
      ),
    ]);
  });

  test("an account whose trust policy quota was raised says so with roleTrustPolicyQuota; outside 2048-4096 it is refused by name", () => {
    const problemsOf = (input: CrossAccountConfigInput): readonly string[] => {
      try {
        resolveConfig(input);
        return [];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.problems;
      }
    };
    expect(problemsOf(trustPolicyOf(2049))).toEqual([
      expect.stringMatching(
        /\(or, where your accounts' quota was raised, set roleTrustPolicyQuota to it, at most 4096\)$/,
      ),
    ]);
    expect(problemsOf({ ...trustPolicyOf(2049), roleTrustPolicyQuota: 4096 })).toEqual([]);
    expect(problemsOf({ ...trustPolicyOf(2200), roleTrustPolicyQuota: 2100 })).toEqual([
      expect.stringMatching(
        /^destination: the trust policy of role assume-role-via-123456789012 in account 210987654321 would be 2200 characters \(not counting whitespace\), more than the 2100 of roleTrustPolicyQuota: /,
      ),
    ]);
    for (const bad of [1024, 8192, 2048.5, "4096"]) {
      expect(problemsOf({ ...trustPolicyOf(2048), roleTrustPolicyQuota: bad as number })).toEqual([
        `roleTrustPolicyQuota must be the role trust policy quota of your accounts in characters (AssumeRolePolicySizeQuota of \`aws iam get-account-summary\`), a whole number from 2048 (IAM's default) to 4096 (the most it can be raised to), got ${JSON.stringify(bad)}`,
      ]);
    }
  });

  test("no policy holds whitespace, so how IAM counts it inside a value does not matter", () => {
    const file = v.parse(configFileSchema, EVERY_PATTERN);
    const documents = iamEntitiesOf(file, destinationsOf(file)).flatMap((entity) => [
      ...(entity.trustPolicy ? [entity.trustPolicy] : []),
      ...entity.inlinePolicies,
    ]);
    expect(documents.filter((document) => /\s/.test(JSON.stringify(document)))).toEqual([]);
    expect(documents.map(policyChars)).toEqual(documents.map((document) => JSON.stringify(document).length));
  });
});
