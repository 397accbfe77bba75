import type { PolicyDocument } from "../policy-document";

/** A policy document of a CloudFormation template: its statements' values may be intrinsics. */
export interface TemplatePolicy<Statement> {
  readonly Version: PolicyDocument["Version"];
  readonly Statement: readonly Statement[];
}

/**
 * The subset of a CloudFormation template the patterns that fan a role out write: string parameters, one IAM role
 * (its trust and inline policies made of `Statement`s) and its ARN as an output.
 */
export interface IamRoleTemplate<Statement> {
  readonly AWSTemplateFormatVersion: "2010-09-09";
  readonly Description: string;
  readonly Parameters: Readonly<
    Record<string, { readonly Type: "String"; readonly Description: string; readonly AllowedPattern: string }>
  >;
  readonly Resources: Readonly<
    Record<
      string,
      {
        readonly Type: "AWS::IAM::Role";
        readonly Properties: {
          readonly RoleName: string;
          readonly Description: string;
          readonly MaxSessionDuration: number;
          readonly AssumeRolePolicyDocument: TemplatePolicy<Statement>;
          readonly Policies: readonly {
            readonly PolicyName: string;
            readonly PolicyDocument: TemplatePolicy<Statement>;
          }[];
        };
      }
    >
  >;
  readonly Outputs: Readonly<Record<string, { readonly Value: { readonly "Fn::GetAtt": readonly [string, "Arn"] } }>>;
}
