import type { DataAwsOrganizationsOrganizationalUnitDescendantAccounts } from "@cdktf/provider-aws/lib/data-aws-organizations-organizational-unit-descendant-accounts";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Fn, Op } from "cdktf";
import { Construct } from "constructs";
import { READ_ROLE_RESOURCE, type RoleTemplateProps, readRoleTemplate, TRUSTED_ROLE_PARAMETER } from "./role-template";

export interface DirectReadRoleProps extends RoleTemplateProps {
  /** Provider of an account the stack already manages (a destination's). */
  readonly provider: AwsProvider;
  /** The inventory's execution role, by reference: the template's trust parameter. */
  readonly trustedRoleArn: string;
  readonly accountId: string;
  /**
   * The StackSet's OUs' accounts: the plan fails if the account is among them, since the StackSet makes the role
   * there too. @default none
   */
  readonly notInUnits?: readonly DataAwsOrganizationsOrganizationalUnitDescendantAccounts[];
}

/** Replaces every `{ "Ref": <parameter> }` in a template fragment with the parameter's value. */
function withParameters<T>(fragment: T, parameters: Readonly<Record<string, string>>): T {
  return JSON.parse(JSON.stringify(fragment), (_key, value) => {
    if (value === null || typeof value !== "object" || Object.keys(value).join() !== "Ref") return value;
    const resolved = parameters[value.Ref];
    if (resolved === undefined)
      throw new Error(`The read-only role's template refers to unknown parameter ${value.Ref}`);
    return resolved;
  });
}

/** A plan-time check that `accountId` is in none of the OUs, whose StackSet would make the same role. */
function notInUnits(accountId: string, units: readonly DataAwsOrganizationsOrganizationalUnitDescendantAccounts[]) {
  const accounts = Fn.flatten(units.map((unit) => unit.interpolationForAttribute("accounts[*].id")));
  return {
    condition: Op.not(Fn.contains(accounts, accountId)),
    errorMessage: `inventory.accountIds lists ${accountId}, which is in a targeted OU: the StackSet makes its read-only role there, and the stack would make it a second time. List only accounts outside the OUs.`,
  };
}

/**
 * The read-only role made directly in an account listed in `inventory.accountIds` that the stack already reaches (a
 * destination's account), through that account's provider: no provider more. It is the StackSet template's role, its
 * trust parameter filled in by Terraform reference, so both ways give the same role. Service-managed StackSets deploy
 * to OUs only; this is how a listed account outside them gets the role.
 */
export class DirectReadRole extends Construct {
  public readonly role: IamRole;
  public readonly policies: readonly IamRolePolicy[];

  constructor(scope: Construct, id: string, props: DirectReadRoleProps) {
    super(scope, id);
    const { provider } = props;
    const template = withParameters(readRoleTemplate(props), { [TRUSTED_ROLE_PARAMETER]: props.trustedRoleArn });
    const { Properties: role } = template.Resources[READ_ROLE_RESOURCE];
    this.role = new IamRole(this, "role", {
      provider,
      name: role.RoleName,
      description: role.Description,
      maxSessionDuration: role.MaxSessionDuration,
      assumeRolePolicy: JSON.stringify(role.AssumeRolePolicyDocument),
      ...(props.notInUnits?.length
        ? { lifecycle: { precondition: [notInUnits(props.accountId, props.notInUnits)] } }
        : {}),
    });
    this.policies = role.Policies.map(
      (policy) =>
        new IamRolePolicy(this, policy.PolicyName, {
          provider,
          name: policy.PolicyName,
          role: this.role.id,
          policy: JSON.stringify(policy.PolicyDocument),
        }),
    );
  }
}
