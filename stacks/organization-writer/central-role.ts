import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { ACCOUNT_TAG } from "../../functions/organization-writer/environment";
import type { DestinationBucket } from "../destinations/destination-bucket";
import type { DestinationTable } from "../destinations/destination-table";
import { type PolicyDocument, policyDocument, toJson } from "../policy-document";
import { MEMBER_ROLE_ACTIONS } from "./member-role-template";

/**
 * An IAM policy variable, escaped for Terraform ("$${" is a literal "${"), so IAM, not Terraform, fills it in.
 * The access map's resolver turns it back into the plain variable before it evaluates.
 */
export const policyVariable = (key: string) => `$\${${key}}`;

/** The caller's account as the central session carries it: the session tag the trust policy checked. */
export const CALLER_ACCOUNT = policyVariable(`aws:PrincipalTag/${ACCOUNT_TAG}`);

export interface CentralRoleProps {
  /** Provider of the central account. */
  readonly provider: AwsProvider;
  readonly roleName: string;
  readonly organizationId: string;
  /** Entity paths whose accounts may write (aws:PrincipalOrgPaths). */
  readonly organizationalUnitPaths: readonly string[];
  /** The one role name the StackSet fans out: the only principals the trust accepts. */
  readonly memberRoleName: string;
  readonly table: DestinationTable;
  readonly bucket: DestinationBucket;
  readonly bucketPrefix: string;
}

/**
 * The central role's trust: any principal, but only through conditions that hold on AWS: of the organization
 * (aws:PrincipalOrgID) and of its OUs (aws:PrincipalOrgPaths), a role of the member role's name (aws:PrincipalArn),
 * with the one session tag it must set to its own account (aws:RequestTag = aws:PrincipalAccount, no other tag).
 */
export function centralTrustPolicy(
  props: Omit<CentralRoleProps, "provider" | "roleName" | "table" | "bucket" | "bucketPrefix">,
): PolicyDocument {
  return policyDocument({
    Sid: "MemberRolesOfTheOrganizationUnitsOnly",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: [...MEMBER_ROLE_ACTIONS],
    Condition: {
      StringEquals: {
        "aws:PrincipalOrgID": props.organizationId,
        [`aws:RequestTag/${ACCOUNT_TAG}`]: policyVariable("aws:PrincipalAccount"),
      },
      "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": props.organizationalUnitPaths.map((path) => `${path}/*`) },
      ArnLike: { "aws:PrincipalArn": `arn:aws:iam::*:role/${props.memberRoleName}` },
      "ForAllValues:StringEquals": { "aws:TagKeys": [ACCOUNT_TAG] },
    },
  });
}

/**
 * The role every member's role assumes in the central account: it may put items only under the caller's partition
 * key and objects only under `<prefix>/<caller's account>/`, so no account overwrites or reads another's records.
 */
export class CentralRole extends Construct {
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: CentralRoleProps) {
    super(scope, id);
    const { provider } = props;
    this.role = new IamRole(this, "role", {
      provider,
      name: props.roleName,
      description: "Lets the organization writer's member roles write records into their own account's partition",
      // Reached by role chaining from a member's workload: one hour at most anyway.
      maxSessionDuration: 3600,
      assumeRolePolicy: toJson(centralTrustPolicy(props)),
    });
    this.policy = new IamRolePolicy(this, "policy", {
      provider,
      name: "write-own-partition",
      role: this.role.id,
      policy: toJson(
        policyDocument(
          {
            Sid: "PutItemsUnderOwnAccount",
            Effect: "Allow",
            Action: "dynamodb:PutItem",
            Resource: props.table.table.arn,
            // The partition key (the account) of every item the request names must be the caller's account.
            Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [CALLER_ACCOUNT] } },
          },
          {
            Sid: "PutObjectsUnderOwnAccount",
            Effect: "Allow",
            Action: "s3:PutObject",
            Resource: `${props.bucket.bucket.arn}/${props.bucketPrefix}/${CALLER_ACCOUNT}/*`,
          },
        ),
      ),
    });
  }
}
