import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { policyDocument, toJson } from "../policy-document";

/** What the inventory asks Organizations: the accounts and child OUs of a parent, nothing else. */
export const ORGANIZATION_READ_ACTIONS = [
  "organizations:ListAccountsForParent",
  "organizations:ListOrganizationalUnitsForParent",
] as const;

export interface OrganizationReadRoleProps {
  /** Provider of the management account or delegated administrator. */
  readonly provider: AwsProvider;
  readonly roleName: string;
  /** The inventory's execution role, by reference: the only principal that may assume this role. */
  readonly trustedRoleArn: string;
  readonly organizationId: string;
  /** The management account, which owns the OU and root ARNs; "*" for a delegated administrator. */
  readonly managementAccountId: string;
}

/**
 * The role in the organization account through which the inventory lists the member accounts of its OUs at run
 * time: trusted by exactly the inventory's execution role; it may list the accounts and child OUs of this
 * organization's root and OUs.
 */
export class OrganizationReadRole extends Construct {
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: OrganizationReadRoleProps) {
    super(scope, id);
    const { provider } = props;
    this.role = new IamRole(this, "role", {
      provider,
      name: props.roleName,
      description: "Lets the cross-account inventory list the accounts of its organizational units",
      assumeRolePolicy: toJson(
        policyDocument({
          Sid: "TheInventoryRoleOnly",
          Effect: "Allow",
          Principal: { AWS: props.trustedRoleArn },
          Action: "sts:AssumeRole",
        }),
      ),
    });
    const parents = (type: "root" | "ou") =>
      `arn:aws:organizations::${props.managementAccountId}:${type}/${props.organizationId}/*`;
    this.policy = new IamRolePolicy(this, "policy", {
      provider,
      name: "list-organization-accounts",
      role: this.role.id,
      policy: toJson(
        policyDocument({
          Sid: "ListAccountsAndUnitsOfParents",
          Effect: "Allow",
          Action: [...ORGANIZATION_READ_ACTIONS],
          Resource: [parents("root"), parents("ou")],
        }),
      ),
    });
  }
}
