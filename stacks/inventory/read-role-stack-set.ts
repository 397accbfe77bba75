import type { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import type { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { DataAwsOrganizationsOrganizationalUnitDescendantAccounts } from "@cdktf/provider-aws/lib/data-aws-organizations-organizational-unit-descendant-accounts";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { serviceManagedStackSet } from "../stack-sets/service-managed-stack-set";
import { readRoleTemplate, TRUSTED_ROLE_PARAMETER } from "./role-template";

export interface ReadRoleStackSetProps {
  /** Provider of the management account or delegated administrator. */
  readonly provider: AwsProvider;
  readonly stackSetName: string;
  readonly roleName: string;
  /** ARN of the inventory's execution role, by Terraform reference: the template's trust parameter. */
  readonly trustedRoleArn: string;
  /** OUs (or the root) whose accounts get the role, now and when they join later. */
  readonly organizationalUnitIds: readonly string[];
  /** The one region the stack instances are made in: IAM is global. */
  readonly region: string;
  readonly describeRegions: boolean;
  /** Act as a delegated administrator rather than the management account. */
  readonly delegatedAdministrator: boolean;
  /** Deploying to an emulator that drops some StackSet attributes. */
  readonly emulator: boolean;
}

/**
 * The read-only role in every account of the OUs: a service-managed StackSet with auto-deployment (accounts that
 * join an OU later get the role; accounts that leave lose it), and its instances in one region.
 */
export class ReadRoleStackSet extends Construct {
  public readonly stackSet: CloudformationStackSet;
  public readonly instance: CloudformationStackSetInstance;
  /**
   * The accounts in each OU, read at plan time: an OU that is not in the organization fails the plan, naming it,
   * before anything is written (rather than the StackSet's instances at apply).
   */
  public readonly unitAccounts: readonly DataAwsOrganizationsOrganizationalUnitDescendantAccounts[];

  constructor(scope: Construct, id: string, props: ReadRoleStackSetProps) {
    super(scope, id);
    const { provider } = props;
    this.unitAccounts = props.organizationalUnitIds.map(
      (parentId) =>
        new DataAwsOrganizationsOrganizationalUnitDescendantAccounts(this, `accounts-of-${parentId}`, {
          provider,
          parentId,
        }),
    );
    const made = serviceManagedStackSet(this, {
      provider,
      name: props.stackSetName,
      description: `Read-only role ${props.roleName} for the cross-account inventory`,
      parameters: { [TRUSTED_ROLE_PARAMETER]: props.trustedRoleArn },
      template: readRoleTemplate(props),
      organizationalUnitIds: props.organizationalUnitIds,
      region: props.region,
      delegatedAdministrator: props.delegatedAdministrator,
      emulator: props.emulator,
    });
    this.stackSet = made.stackSet;
    this.instance = made.instance;
  }
}
