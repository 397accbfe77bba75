import * as v from "valibot";
import { type CrossAccountConfigInput, resolveConfig } from "../stacks/config";
import { destinationsOf } from "../stacks/config/defaults";
import { iamEntitiesOf } from "../stacks/config/iam-entities";
import { MEMBER_ACCOUNT_ID, stackSetAccounts } from "../stacks/config/iam-entities-organization";
import { inlineChars, policyChars } from "../stacks/config/iam-policy-sizes";
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

describe("the IAM policies of the stack as the config gives them", () => {
  test.each([
    ["one destination with the defaults", REAL_ACCOUNTS],
    ["every pattern and every option that changes a policy", EVERY_PATTERN],
    ["the bounded policies at their largest", BIGGEST_BOUNDED],
  ])(
    "they are what the stack makes (%s): every role and group, with the size of its trust policy and of its inline policies together",
    (_name, input) => {
      expect(measuredFromConfig(input)).toEqual(measuredFromSynth(input));
    },
  );

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
