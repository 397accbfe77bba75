import { INVENTORY_ENVIRONMENT } from "../../functions/inventory/environment";
import { MEMBER_ROLE_RESOURCE } from "../../stacks/organization-writer/member-role-template";
import type { TerraformJson } from "../synth";
import { conditionValues, type Statement } from "./policies";
import { rule } from "./rule";
import { blocks, reference, resources } from "./terraform";

/** What the execution role of an inventory function may assume, from the function's environment. */
export interface InventoryAssumable {
  readonly roleName: string;
  readonly accountIds: ReadonlySet<string>;
}

/** Inventory functions' roles (`${aws_iam_role.x.arn}`) and the read-only role each may assume. */
export function inventoryRoles(json: TerraformJson): Map<string, InventoryAssumable> {
  const found = new Map<string, InventoryAssumable>();
  for (const [, fn] of resources(json, "aws_lambda_function")) {
    const variables: Record<string, string> = blocks(fn.environment)[0]?.variables ?? {};
    const targets = variables[INVENTORY_ENVIRONMENT.targets];
    const roleName = variables[INVENTORY_ENVIRONMENT.roleName];
    if (typeof fn.role !== "string" || typeof targets !== "string" || typeof roleName !== "string") continue;
    const { accountIds = [] } = JSON.parse(targets) as { accountIds?: string[] };
    found.set(fn.role, { roleName, accountIds: new Set(accountIds) });
  }
  return found;
}

/**
 * Whether an inventory role's statement may name `resource` for sts:AssumeRole: the read-only role by exact ARN in
 * a listed account, or in any account (`*`) only with exactly one StringEquals aws:ResourceOrgID. Returns the
 * problem, or undefined when acceptable; "not-inventory" when the resource is not the read-only role at all.
 */
export function inventoryReadRoleProblem(
  resource: string,
  statement: Statement,
  assumable: InventoryAssumable,
): string | undefined | "not-inventory" {
  const match = /^arn:aws[\w-]*:iam::(\*|\d{12}):role\/(.+)$/.exec(resource);
  if (!match || match[2] !== assumable.roleName) return "not-inventory";
  const [, account] = match;
  if (account !== "*")
    return assumable.accountIds.has(account) ? undefined : `names account ${account}, which the function does not list`;
  const organizations = conditionValues(statement, "StringEquals", "aws:ResourceOrgID");
  return organizations.length === 1
    ? undefined
    : `allows sts:AssumeRole on ${resource} without exactly one StringEquals aws:ResourceOrgID: roles of that name in any account`;
}

/** What a StackSet template role may call: listing functions and, where regions are discovered, regions. */
const ALLOWED_TEMPLATE_ACTIONS = ["lambda:ListFunctions", "ec2:DescribeRegions"];

export const stackSetReadRole = rule(
  "stack-set-read-role",
  "A StackSet's template roles trust exactly one parameter whose value is a Lambda execution role of the stack, and may call only lambda:ListFunctions and ec2:DescribeRegions",
  (json, report) => {
    const executionRoles = new Set(resources(json, "aws_lambda_function").map(([, fn]) => fn.role as string));
    const roleArns = new Set(resources(json, "aws_iam_role").map(([address]) => reference(address, "arn")));
    for (const [address, stackSet] of resources(json, "aws_cloudformation_stack_set")) {
      let template: { Resources?: Record<string, { Type: string; Properties: Record<string, any> }> };
      try {
        template = JSON.parse(String(stackSet.template_body));
      } catch {
        report(address, "template_body is not a JSON template built from typed objects");
        continue;
      }
      const parameters: Record<string, string> = stackSet.parameters ?? {};
      // The organization writer's member role: organizationWriterMemberRole checks it.
      if (template.Resources?.[MEMBER_ROLE_RESOURCE]) continue;
      for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
        if (resource.Type !== "AWS::IAM::Role") continue;
        const where = `template role ${logicalId}`;
        for (const statement of resource.Properties.AssumeRolePolicyDocument?.Statement ?? []) {
          const ref = statement.Principal?.AWS?.Ref;
          const value = typeof ref === "string" ? parameters[ref] : undefined;
          if (Object.keys(statement.Principal ?? {}).length !== 1 || value === undefined)
            report(
              address,
              `${where} trusts ${JSON.stringify(statement.Principal)}; only {"AWS":{"Ref":<parameter>}} is allowed`,
            );
          else if (!executionRoles.has(value) || !roleArns.has(value))
            report(
              address,
              `${where} trusts ${value}, which is not the execution role of a Lambda function of this stack`,
            );
          if (statement.Action !== "sts:AssumeRole")
            report(address, `${where} trust allows ${JSON.stringify(statement.Action)}`);
        }
        if (resource.Properties.ManagedPolicyArns !== undefined) report(address, `${where} attaches managed policies`);
        for (const policy of resource.Properties.Policies ?? []) {
          for (const statement of policy.PolicyDocument.Statement ?? []) {
            const actions: string[] = [statement.Action ?? statement.NotAction].flat();
            if (statement.Effect !== "Allow") continue;
            for (const action of actions.filter((candidate) => !ALLOWED_TEMPLATE_ACTIONS.includes(candidate)))
              report(address, `${where} allows ${action}; only ${ALLOWED_TEMPLATE_ACTIONS.join(", ")} are allowed`);
          }
        }
      }
    }
  },
);
