import type { DataAwsOrganizationsOrganizationalUnitDescendantAccounts } from "@cdktf/provider-aws/lib/data-aws-organizations-organizational-unit-descendant-accounts";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Fn, Op } from "cdktf";
import { Construct } from "constructs";
import {
  READ_ROLE_RESOURCE,
  type RoleTemplateProps,
  readRoleTemplate,
  TRUSTED_ROLE_PARAMETER,
  withParameters,
} from "./role-template";

export interface DirectReadRoleProps extends RoleTemplateProps {
  /** Provider of an account the stack already reaches: the source's, a destination's or the organization's. */
  readonly provider: AwsProvider;
  /** The inventory's execution role, by reference: the template's trust parameter. */
  readonly trustedRoleArn: string;
  /** The listed account the provider reaches, where the role is made. */
  readonly accountId: string;
  /**
   * The StackSet's OUs' accounts: the plan fails if the account is among them, since the StackSet makes the role
   * there too. @default none
   */
  readonly notInUnits?: readonly DataAwsOrganizationsOrganizationalUnitDescendantAccounts[];
}

/** A plan-time check that `accountId` is in none of the OUs, whose StackSet would make the same role. */
function notInUnits(accountId: string, units: readonly DataAwsOrganizationsOrganizationalUnitDescendantAccounts[]) {
  const accounts = Fn.flatten(units.map((unit) => unit.interpolationForAttribute("accounts[*].id")));
  const unitIds = units.map((unit) => unit.parentIdInput).join(", ");
  return {
    condition: Op.not(Fn.contains(accounts, accountId)),
    errorMessage: `inventory.accountIds lists ${accountId}, which is in one of the targeted OUs (${unitIds}): the StackSet makes its read-only role there, and the stack would make it a second time. List only accounts outside the OUs.`,
  };
}

/**
 * The read-only role made directly in an account listed in `inventory.accountIds` that the stack already reaches (the
 * source's, a destination's or the organization's account), through that account's provider: no provider more. It is the StackSet template's role, its
 * trust parameter filled in by Terraform reference, so both ways give the same role. Service-managed StackSets deploy
 * to OUs only; this is how a listed account outside them gets the role.
 */
export class DirectReadRole extends Construct {
  /** The role, named and trusting as in the template. */
  public readonly role: IamRole;
  /** Its inline policies, one per policy of the template's role. */
  public readonly policies: readonly IamRolePolicy[];

  constructor(scope: Construct, id: string, props: DirectReadRoleProps) {
    super(scope, id);
    const { provider } = props;
    const { Properties: role } = readRoleTemplate(props).Resources[READ_ROLE_RESOURCE];
    const filled = (fragment: unknown) =>
      JSON.stringify(withParameters(fragment, { [TRUSTED_ROLE_PARAMETER]: props.trustedRoleArn }));
    this.role = new IamRole(this, "role", {
      provider,
      name: role.RoleName,
      description: role.Description,
      maxSessionDuration: role.MaxSessionDuration,
      assumeRolePolicy: filled(role.AssumeRolePolicyDocument),
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
          policy: filled(policy.PolicyDocument),
        }),
    );
  }
}
