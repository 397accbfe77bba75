import { withParameters } from "../../stacks/inventory/role-template";
import { inAccount } from "../../stacks/organization-writer/member-role-template";
import type { PolicyDocument } from "../../stacks/policy-document";
import { accountLabel } from "./names";
import { partitionOf } from "./partition";
import type { NamedPolicy } from "./resolved";
import type { ResourceInstance } from "./terraform-values";

/** A role a StackSet of the stack makes, in every account of `scope` (an OU or root id) or in one account. */
export interface StackSetRole {
  readonly arn: string;
  readonly name: string;
  /** An OU or root id (`ou-...`, `r-...`) for "each account of it", or a 12-digit account id. */
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly trustPolicy: PolicyDocument;
  readonly identityPolicies: readonly NamedPolicy[];
  /** Which StackSet makes it where, as the access map's page says it. */
  readonly madeBy: string;
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** IAM resource types of a template that change who may do what and that the map does not model. */
const UNMODELLED_TEMPLATE_TYPES = /^AWS::IAM::(?!Role$)/;
const UNMODELLED_ROLE_PROPERTIES = ["ManagedPolicyArns", "PermissionsBoundary"];

/** The first CloudFormation intrinsic function (`Fn::...`) left in a template fragment, if any. */
function intrinsicIn(fragment: unknown): string | undefined {
  if (fragment === null || typeof fragment !== "object") return undefined;
  const keys = Array.isArray(fragment) ? [] : Object.keys(fragment);
  return (
    keys.find((key) => key.startsWith("Fn::")) ??
    Object.values(fragment).reduce<string | undefined>((found, value) => found ?? intrinsicIn(value), undefined)
  );
}

const isPolicy = (value: unknown): value is PolicyDocument =>
  typeof value === "object" && value !== null && Array.isArray((value as { Statement?: unknown }).Statement);

/** The OUs (or root) and accounts a stack set instance targets. */
function targetsOf(instance: ResourceInstance, resolve: (text: string) => string): string[] {
  const blocks = [instance.values.deployment_targets].flat() as Array<Record<string, unknown> | undefined>;
  const units = blocks.flatMap((block) => (block?.organizational_unit_ids as string[] | undefined) ?? []);
  const account = instance.values.account_id;
  return [...units, ...(typeof account === "string" && account !== "" ? [account] : [])].map(resolve);
}

/**
 * The roles the stack's StackSets make: each AWS::IAM::Role of a StackSet's template, its parameters filled in with
 * the StackSet's (references resolved), in each OU, root or account its instances target. A role's accounts are not
 * known to the stack, so its ARN carries the OU's id where an account id would be, and a row about it holds for each
 * account of that OU. Throws on IAM resources of a template that the map does not model.
 */
export function stackSetRoles(
  instances: readonly ResourceInstance[],
  text: (instance: ResourceInstance, argument: string) => string,
  resolve: (text: string) => string,
): StackSetRole[] {
  const placements = instances.filter((instance) => instance.type === "aws_cloudformation_stack_set_instance");
  return instances
    .filter((instance) => instance.type === "aws_cloudformation_stack_set")
    .flatMap((stackSet) => {
      const name = text(stackSet, "name");
      const where = `aws_cloudformation_stack_set.${stackSet.id}`;
      const parameters = Object.fromEntries(
        Object.entries((stackSet.values.parameters ?? {}) as Record<string, string>).map(([key, value]) => [
          key,
          resolve(value),
        ]),
      );
      const template = JSON.parse(text(stackSet, "template_body")) as { Resources?: Record<string, TemplateResource> };
      const rolesIn = (accountId: string) =>
        Object.entries(template.Resources ?? {}).flatMap(([logicalId, resource]) => {
          if (UNMODELLED_TEMPLATE_TYPES.test(resource.Type))
            throw new Error(
              `${where}: template resource ${logicalId} is ${resource.Type}, which the access map does not model`,
            );
          if (resource.Type !== "AWS::IAM::Role") return [];
          const role = `${where}: template role ${logicalId}`;
          // AWS::AccountId is the account the role lands in: the OU's id stands for "each account of it", as in its ARN.
          const filled = withParameters(
            resource.Properties ?? {},
            { ...parameters, "AWS::AccountId": accountId },
            role,
          );
          const properties = inAccount(filled, {}) as Record<string, unknown>;
          const intrinsic = intrinsicIn(properties);
          if (intrinsic) throw new Error(`${role} uses ${intrinsic}, which the access map does not evaluate`);
          const unmodelled = UNMODELLED_ROLE_PROPERTIES.find((property) => properties[property] !== undefined);
          if (unmodelled) throw new Error(`${role} sets ${unmodelled}, which the access map does not model`);
          if (typeof properties.RoleName !== "string")
            throw new Error(
              `${role} needs a literal RoleName for the access map, got ${JSON.stringify(properties.RoleName)}`,
            );
          if (!isPolicy(properties.AssumeRolePolicyDocument))
            throw new Error(`${role} has no AssumeRolePolicyDocument with a Statement list`);
          const policies = (properties.Policies ?? []) as Array<{ PolicyName: string; PolicyDocument: PolicyDocument }>;
          return [
            {
              name: properties.RoleName,
              trustPolicy: properties.AssumeRolePolicyDocument,
              identityPolicies: policies.map((policy) => ({ name: policy.PolicyName, policy: policy.PolicyDocument })),
            },
          ];
        });
      return placements
        .filter((placement) => text(placement, "stack_set_name") === name)
        .flatMap((placement) => {
          const region =
            typeof placement.values.region === "string" ? placement.values.region : (placement.region ?? "");
          const partition = partitionOf(region);
          return targetsOf(placement, resolve).flatMap((accountId) =>
            rolesIn(accountId).map((role) => ({
              ...role,
              arn: `arn:${partition}:iam::${accountId}:role/${role.name}`,
              accountId,
              region,
              partition,
              madeBy: `made by StackSet ${name} in ${accountLabel(accountId)}, as its template says`,
            })),
          );
        });
    });
}
