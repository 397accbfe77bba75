import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { DataAwsOrganizationsOrganizationalUnitDescendantAccounts } from "@cdktf/provider-aws/lib/data-aws-organizations-organizational-unit-descendant-accounts";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { readRoleTemplate, TRUSTED_ROLE_PARAMETER } from "./role-template";

/**
 * What AWS fills in for a service-managed StackSet and provider 5.100 then reads back as a change on every plan
 * (hashicorp/terraform-provider-aws#23464, fixed in provider 6): ignored everywhere.
 */
export const AWS_FILLED_STACK_SET_ATTRIBUTES = ["administration_role_arn"];
/** StackSet attributes moto 5.2.1 does not keep: ignored in emulator mode only. */
export const EMULATOR_DROPPED_STACK_SET_ATTRIBUTES = ["auto_deployment", "capabilities"];

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
    const callAs = props.delegatedAdministrator ? "DELEGATED_ADMIN" : "SELF";
    this.stackSet = new CloudformationStackSet(this, "stack-set", {
      provider,
      name: props.stackSetName,
      description: `Read-only role ${props.roleName} for the cross-account inventory`,
      permissionModel: "SERVICE_MANAGED",
      callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      parameters: { [TRUSTED_ROLE_PARAMETER]: props.trustedRoleArn },
      templateBody: JSON.stringify(readRoleTemplate(props)),
      // moto drops some attributes (emulator only); synth assertions prove the real settings.
      lifecycle: {
        ignoreChanges: [
          ...(props.emulator ? EMULATOR_DROPPED_STACK_SET_ATTRIBUTES : []),
          ...AWS_FILLED_STACK_SET_ATTRIBUTES,
        ],
      },
    });
    // No parameter_overrides or operation_preferences: provider 5.100 updates those by sending the OU ids as Accounts
    // (hashicorp/terraform-provider-aws#40675). A change of OUs replaces this resource (deployment_targets forces new).
    this.instance = new CloudformationStackSetInstance(this, "instances", {
      provider,
      stackSetName: this.stackSet.name,
      callAs,
      region: props.region,
      deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] },
      retainStack: false,
    });
  }
}
