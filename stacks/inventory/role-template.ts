import type { IamRoleTemplate, TemplatePolicy } from "../stack-sets/iam-role-template";

/** The one parameter of the template: the ARN of the role that may assume the read-only role. */
export const TRUSTED_ROLE_PARAMETER = "InventoryRoleArn";
/** Logical id of the read-only role in the template. */
export const READ_ROLE_RESOURCE = "ListFunctionsRole";

/** What the read-only role may call: listing functions, and listing the regions when they are discovered. */
export const LIST_FUNCTIONS_ACTIONS = ["lambda:ListFunctions"] as const;
export const DESCRIBE_REGIONS_ACTIONS = ["ec2:DescribeRegions"] as const;

/** A CloudFormation intrinsic `Ref` to a parameter. */
export interface Ref {
  readonly Ref: string;
}

/** A statement of the template: its principal may be a parameter reference. */
export interface TemplateStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal?: { readonly AWS: Ref };
  readonly Action: readonly string[] | string;
  readonly Resource?: string;
}

/** A policy document whose principal may be a parameter reference, as CloudFormation templates allow. */
export type TemplatePolicyDocument = TemplatePolicy<TemplateStatement>;

/** The subset of a CloudFormation template this pattern writes: parameters and one IAM role. */
export type RoleTemplate = IamRoleTemplate<TemplateStatement>;

export interface RoleTemplateProps {
  readonly roleName: string;
  /** Allow ec2:DescribeRegions too: the inventory discovers each account's enabled regions. */
  readonly describeRegions: boolean;
}

/**
 * The read-only role every target account gets from the StackSet: trusted by exactly the role passed as
 * {@link TRUSTED_ROLE_PARAMETER}, allowed lambda:ListFunctions (and ec2:DescribeRegions) and nothing else. Neither
 * action supports resource-level permissions, so "*" is their only resource.
 */
export function readRoleTemplate(props: RoleTemplateProps): RoleTemplate {
  const actions = [...LIST_FUNCTIONS_ACTIONS, ...(props.describeRegions ? DESCRIBE_REGIONS_ACTIONS : [])];
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `Read-only role ${props.roleName} for the cross-account inventory: lists Lambda functions`,
    Parameters: {
      [TRUSTED_ROLE_PARAMETER]: {
        Type: "String",
        Description: "ARN of the inventory function's execution role, the only principal that may assume the role",
        AllowedPattern: "^arn:aws[a-z-]*:iam::\\d{12}:role/.+$",
      },
    },
    Resources: {
      [READ_ROLE_RESOURCE]: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: props.roleName,
          Description: "Lets the cross-account inventory list this account's Lambda functions, nothing else",
          // Role chaining caps the inventory's session at one hour anyway.
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "TheInventoryRoleOnly",
                Effect: "Allow",
                Principal: { AWS: { Ref: TRUSTED_ROLE_PARAMETER } },
                Action: "sts:AssumeRole",
              },
            ],
          },
          Policies: [
            {
              PolicyName: "list-functions",
              PolicyDocument: {
                Version: "2012-10-17",
                Statement: [{ Sid: "ListOnly", Effect: "Allow", Action: actions, Resource: "*" }],
              },
            },
          ],
        },
      },
    },
    Outputs: { RoleArn: { Value: { "Fn::GetAtt": [READ_ROLE_RESOURCE, "Arn"] } } },
  };
}

/**
 * A template fragment with every `{ "Ref": <parameter> }` replaced by the parameter's value, as CloudFormation fills
 * it in: how the role the StackSet makes reads once deployed. Throws, naming `where`, on a Ref to a parameter
 * without a value (pseudo-parameters such as AWS::AccountId included: their value depends on the account).
 */
export function withParameters(
  fragment: unknown,
  parameters: Readonly<Record<string, string>>,
  where = "the read-only role's template",
): unknown {
  return JSON.parse(JSON.stringify(fragment), (_key, value) => {
    if (value === null || typeof value !== "object" || Object.keys(value).join() !== "Ref") return value;
    const resolved = parameters[value.Ref];
    if (resolved === undefined)
      throw new Error(
        `${where} refers to ${value.Ref}, which has no value here; parameters with a value: ${Object.keys(parameters).join(", ") || "none"}`,
      );
    return resolved;
  });
}
