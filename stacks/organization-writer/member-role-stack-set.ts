import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { EMULATOR_DROPPED_STACK_SET_ATTRIBUTES } from "../inventory/read-role-stack-set";
import { CENTRAL_ROLE_PARAMETER, type MemberRoleTemplateProps, memberRoleTemplate } from "./member-role-template";

export interface MemberRoleStackSetProps extends MemberRoleTemplateProps {
  /** Provider of the management account or delegated administrator. */
  readonly provider: AwsProvider;
  readonly stackSetName: string;
  /** ARN of the central role, by Terraform reference: the template's one parameter. */
  readonly centralRoleArn: string;
  /** OUs (or the root) whose accounts get the role, now and when they join later. */
  readonly organizationalUnitIds: readonly string[];
  /** The one region the stack instances are made in: IAM is global. */
  readonly region: string;
  readonly delegatedAdministrator: boolean;
  /** Deploying to an emulator that drops some StackSet attributes. */
  readonly emulator: boolean;
}

/**
 * The member role in every account of the OUs: a service-managed StackSet with auto-deployment (accounts that join
 * an OU get the role, accounts that leave lose it), its instances in one region, through one provider.
 */
export class MemberRoleStackSet extends Construct {
  public readonly stackSet: CloudformationStackSet;
  public readonly instance: CloudformationStackSetInstance;

  constructor(scope: Construct, id: string, props: MemberRoleStackSetProps) {
    super(scope, id);
    const { provider } = props;
    const callAs = props.delegatedAdministrator ? "DELEGATED_ADMIN" : "SELF";
    this.stackSet = new CloudformationStackSet(this, "stack-set", {
      provider,
      name: props.stackSetName,
      description: `Role ${props.roleName} of the organization writer in every account of its OUs`,
      permissionModel: "SERVICE_MANAGED",
      callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      parameters: { [CENTRAL_ROLE_PARAMETER]: props.centralRoleArn },
      templateBody: JSON.stringify(memberRoleTemplate(props)),
      // moto drops these attributes (emulator only); synth assertions prove the real settings.
      ...(props.emulator ? { lifecycle: { ignoreChanges: EMULATOR_DROPPED_STACK_SET_ATTRIBUTES } } : {}),
    });
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
