import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { statementId } from "../config";
import type { DestinationAccessRole } from "../destinations/destination-access-role";
import { policyDocument, toJson } from "../policy-document";
import { ASSUME_POLICY_NAME, assumeDestinationRolesPolicy } from "./assume-policy";

export interface InstanceRoleProps {
  /** Provider of the source account. */
  readonly provider: AwsProvider;
  /** Name of the role and of its instance profile. */
  readonly name: string;
  /** The destination roles it may assume: exactly these, each of which trusts it back. */
  readonly destinationRoles: readonly DestinationAccessRole[];
}

/**
 * An EC2 instance role of the source account (guide 004), with its instance profile: trusted by EC2, allowed
 * `sts:AssumeRole` on exactly its destinations' roles, each of which trusts this role's ARN by reference.
 */
export class InstanceRole extends Construct {
  public readonly role: IamRole;
  public readonly instanceProfile: IamInstanceProfile;
  public readonly assumePolicy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    const { provider, name } = props;
    this.role = new IamRole(this, "role", {
      provider,
      name,
      description: `EC2 instance role that assumes roles of ${props.destinationRoles.length} destination(s)`,
      assumeRolePolicy: toJson(
        policyDocument({
          Sid: "Ec2Instances",
          Effect: "Allow",
          Principal: { Service: "ec2.amazonaws.com" },
          Action: "sts:AssumeRole",
        }),
      ),
    });
    this.instanceProfile = new IamInstanceProfile(this, "instance-profile", { provider, name, role: this.role.name });
    this.assumePolicy = new IamRolePolicy(this, "assume-policy", {
      provider,
      name: ASSUME_POLICY_NAME,
      role: this.role.id,
      policy: assumeDestinationRolesPolicy(props.destinationRoles),
    });
    for (const destinationRole of props.destinationRoles) {
      destinationRole.trust({ sid: statementId("InstanceRole", name), principals: this.role.arn });
    }
  }
}
