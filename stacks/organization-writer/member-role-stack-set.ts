import type { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import type { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { serviceManagedStackSet } from "../stack-sets/service-managed-stack-set";
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
    const made = serviceManagedStackSet(this, {
      provider,
      name: props.stackSetName,
      description: `Role ${props.roleName} of the organization writer in every account of its OUs`,
      parameters: { [CENTRAL_ROLE_PARAMETER]: props.centralRoleArn },
      template: memberRoleTemplate(props),
      organizationalUnitIds: props.organizationalUnitIds,
      region: props.region,
      delegatedAdministrator: props.delegatedAdministrator,
      emulator: props.emulator,
    });
    this.stackSet = made.stackSet;
    this.instance = made.instance;
  }
}
