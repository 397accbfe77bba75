import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { IamGroupMembership } from "@cdktf/provider-aws/lib/iam-group-membership";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { mfaCondition, type OperatorUser, operatorUserArn, statementId } from "../config";
import type { DestinationAccessRole } from "../destinations/destination-access-role";
import { ASSUME_POLICY_NAME, assumeDestinationRolesPolicy } from "./assume-policy";

export interface OperatorGroupProps {
  /** Provider of the source account. */
  readonly provider: AwsProvider;
  readonly sourceAccountId: string;
  readonly group: string;
  /** Existing IAM users of the source account, with their paths. */
  readonly users: readonly OperatorUser[];
  /** The destination roles its members may assume: exactly these, each of which trusts the users back. */
  readonly destinationRoles: readonly DestinationAccessRole[];
  readonly requireMfa: boolean;
  /** @default - no age limit */
  readonly maxMfaAgeSeconds?: number;
}

/**
 * An IAM group of operators in the source account (guide 002): existing users, allowed `sts:AssumeRole` on exactly
 * the listed destination roles with MFA, and trusted by each of those roles by their exact user ARNs with the same
 * MFA condition, never the whole account.
 */
export class OperatorGroup extends Construct {
  public readonly group: IamGroup;
  public readonly membership: IamGroupMembership;
  public readonly assumePolicy: IamGroupPolicy;
  /** The members' ARNs with their paths, as the destination roles trust them. */
  public readonly userArns: readonly string[];

  constructor(scope: Construct, id: string, props: OperatorGroupProps) {
    super(scope, id);
    const { provider } = props;
    const condition = mfaCondition(props.requireMfa, props.maxMfaAgeSeconds);
    this.userArns = props.users.map((user) => operatorUserArn(props.sourceAccountId, user));
    this.group = new IamGroup(this, "group", { provider, name: props.group });
    this.membership = new IamGroupMembership(this, "membership", {
      provider,
      name: `${props.group}-members`,
      group: this.group.name,
      // A membership takes user names: a path is not part of a user's name.
      users: props.users.map((user) => user.name),
    });
    this.assumePolicy = new IamGroupPolicy(this, "assume-policy", {
      provider,
      name: ASSUME_POLICY_NAME,
      group: this.group.id,
      policy: assumeDestinationRolesPolicy(props.destinationRoles, condition),
    });
    for (const destinationRole of props.destinationRoles) {
      destinationRole.trust({ sid: statementId("Operators", props.group), principals: this.userArns, condition });
    }
  }
}
