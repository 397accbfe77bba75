import type { IamRoleTemplate } from "../stack-sets/iam-role-template";

/** The one parameter of the template: the ARN of the central role the member role may assume. */
export const CENTRAL_ROLE_PARAMETER = "CentralRoleArn";
/** Logical id of the member role in the template. */
export const MEMBER_ROLE_RESOURCE = "OrganizationWriterRole";
/** What the member role may do with the central role: assume it with the account session tag. */
export const MEMBER_ROLE_ACTIONS = ["sts:AssumeRole", "sts:TagSession"] as const;

/** A CloudFormation intrinsic: a parameter or pseudo-parameter, or strings joined. */
export type Intrinsic =
  | { readonly Ref: string }
  | { readonly "Fn::Join": readonly [string, readonly (string | Intrinsic)[]] };
type Value = string | Intrinsic;

/** A policy statement whose values may be intrinsics, as CloudFormation templates allow. */
export interface TemplateStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal?: { readonly AWS?: Value; readonly Service?: string };
  readonly Action: readonly string[] | string;
  readonly Resource?: Value;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, Value | readonly Value[]>>>>;
}

/** The subset of a CloudFormation template this pattern writes: one parameter and one IAM role. */
export type MemberRoleTemplate = IamRoleTemplate<TemplateStatement>;

export interface MemberRoleTemplateProps {
  readonly roleName: string;
  /** AWS services of the member account that may use the role. */
  readonly services: readonly string[];
  /** Role names or patterns with * of the member account that may use the role. */
  readonly roleNamePatterns: readonly string[];
}

const thisAccount = { Ref: "AWS::AccountId" } as const;
const arnInThisAccount = (tail: string): Intrinsic => ({
  "Fn::Join": ["", ["arn:aws:iam::", thisAccount, `:${tail}`]],
});

/**
 * The role every member account gets from the StackSet: trusted only by the account's own principals the config
 * names (Lambda with aws:SourceAccount, EC2, roles by name), allowed sts:AssumeRole and sts:TagSession on exactly the
 * central role passed as {@link CENTRAL_ROLE_PARAMETER}, nothing else.
 */
export function memberRoleTemplate(props: MemberRoleTemplateProps): MemberRoleTemplate {
  const trust: TemplateStatement[] = [];
  if (props.services.includes("lambda.amazonaws.com"))
    trust.push({
      Sid: "LambdaOfThisAccountOnly",
      Effect: "Allow",
      Principal: { Service: "lambda.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": thisAccount } },
    });
  // EC2 hands a role only to instances whose profile this account made (iam:PassRole), as the instance roles do.
  if (props.services.includes("ec2.amazonaws.com"))
    trust.push({
      Sid: "Ec2Instances",
      Effect: "Allow",
      Principal: { Service: "ec2.amazonaws.com" },
      Action: "sts:AssumeRole",
    });
  if (props.roleNamePatterns.length > 0)
    trust.push({
      Sid: "NamedRolesOfThisAccountOnly",
      Effect: "Allow",
      Principal: { AWS: arnInThisAccount("root") },
      Action: "sts:AssumeRole",
      Condition: {
        ArnLike: { "aws:PrincipalArn": props.roleNamePatterns.map((name) => arnInThisAccount(`role/${name}`)) },
      },
    });
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `Role ${props.roleName} of the organization writer: lets this account's workloads write into the central account`,
    Parameters: {
      [CENTRAL_ROLE_PARAMETER]: {
        Type: "String",
        Description: "ARN of the central account's writer role, the only role the member role may assume",
        AllowedPattern: "^arn:aws[a-z-]*:iam::\\d{12}:role/.+$",
      },
    },
    Resources: {
      [MEMBER_ROLE_RESOURCE]: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: props.roleName,
          Description: "Lets this account's workloads assume the organization writer's central role, nothing else",
          // The central session is a role chain, capped at one hour anyway.
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: trust },
          Policies: [
            {
              PolicyName: "assume-central-role",
              PolicyDocument: {
                Version: "2012-10-17",
                Statement: [
                  {
                    Sid: "TheCentralRoleOnly",
                    Effect: "Allow",
                    Action: [...MEMBER_ROLE_ACTIONS],
                    Resource: { Ref: CENTRAL_ROLE_PARAMETER },
                  },
                ],
              },
            },
          ],
        },
      },
    },
    Outputs: { RoleArn: { Value: { "Fn::GetAtt": [MEMBER_ROLE_RESOURCE, "Arn"] } } },
  };
}

/**
 * A template fragment as CloudFormation fills it in for one account: each `Ref` replaced by its value in
 * `parameters` (pseudo-parameters such as AWS::AccountId included) and each `Fn::Join` joined. Throws on a Ref
 * without a value.
 */
export function inAccount(fragment: unknown, parameters: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(fragment)) return fragment.map((item) => inAccount(item, parameters));
  if (fragment === null || typeof fragment !== "object") return fragment;
  const entries = Object.entries(fragment);
  const [[key, value]] = entries.length === 1 ? entries : [["", undefined]];
  if (key === "Ref") {
    const resolved = parameters[String(value)];
    if (resolved === undefined) throw new Error(`the member role's template refers to ${value}, which has no value`);
    return resolved;
  }
  if (key === "Fn::Join") {
    const [separator, parts] = value as [string, unknown[]];
    return parts.map((part) => inAccount(part, parameters)).join(separator);
  }
  return Object.fromEntries(entries.map(([name, item]) => [name, inAccount(item, parameters)]));
}
