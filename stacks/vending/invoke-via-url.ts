import { createHash } from "node:crypto";
import { CloudformationStack } from "@cdktf/provider-aws/lib/cloudformation-stack";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { parsePrincipalArn, principalKey } from "../../functions/vend/environment";

/** The template's one parameter: the vend function's name, which Terraform passes in. */
export const FUNCTION_NAME_PARAMETER = "FunctionName";

/** A CloudFormation intrinsic `Ref` to a parameter. */
export interface Ref {
  readonly Ref: string;
}

/**
 * An `AWS::Lambda::Permission` that lets one principal call lambda:InvokeFunction only through the function URL:
 * Lambda writes it as a statement with `Bool {"lambda:InvokedViaFunctionUrl": "true"}` (AddPermission's
 * InvokedViaFunctionUrl).
 */
export interface InvokeViaUrlPermission {
  readonly Type: "AWS::Lambda::Permission";
  readonly Properties: {
    readonly Action: "lambda:InvokeFunction";
    readonly FunctionName: Ref;
    readonly Principal: string;
    readonly InvokedViaFunctionUrl: true;
  };
}

/** The subset of a CloudFormation template this pattern writes: the function's name in, one permission per caller. */
export interface InvokeViaUrlTemplate {
  readonly AWSTemplateFormatVersion: "2010-09-09";
  readonly Description: string;
  readonly Parameters: Readonly<Record<string, { readonly Type: "String"; readonly Description: string }>>;
  readonly Resources: Readonly<Record<string, InvokeViaUrlPermission>>;
}

/**
 * Logical id of a caller's permission: its account, kind and name as letters and digits, and a hash of the
 * principal so that names differing only in `+=,.@_-` stay apart. Stable while the caller is configured, so adding
 * or removing another caller replaces nothing.
 */
export function invokeViaUrlLogicalId(arn: string): string {
  const principal = parsePrincipalArn(arn);
  if (!principal) throw new Error(`not an IAM user or role ARN: ${arn}`);
  const readable = `${principal.accountId}${principal.kind}${principal.name}`.replace(/[^A-Za-z0-9]/g, "");
  const hash = createHash("sha256").update(principalKey(principal)).digest("hex").slice(0, 8);
  return `InvokeViaUrl${readable.slice(0, 80)}${hash}`;
}

/** The template that grants each caller lambda:InvokeFunction on the function through its URL only. */
export function invokeViaUrlTemplate(callerArns: readonly string[]): InvokeViaUrlTemplate {
  if (callerArns.length === 0) throw new Error("invokeViaUrlTemplate needs at least one caller, got none");
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "lambda:InvokeFunction for the vend function's callers, only through its function URL",
    Parameters: {
      [FUNCTION_NAME_PARAMETER]: { Type: "String", Description: "Name of the vend function" },
    },
    Resources: Object.fromEntries(
      callerArns.map((arn) => [
        invokeViaUrlLogicalId(arn),
        {
          Type: "AWS::Lambda::Permission",
          Properties: {
            Action: "lambda:InvokeFunction",
            FunctionName: { Ref: FUNCTION_NAME_PARAMETER },
            Principal: arn,
            InvokedViaFunctionUrl: true,
          },
        },
      ]),
    ),
  };
}

/** CloudFormation stack names allow letters, digits and '-', starting with a letter; Lambda names also allow '_'. */
export const invokeViaUrlStackName = (functionName: string) => `invoke-via-url-${functionName.replace(/_/g, "-")}`;

export interface InvokeViaUrlProps {
  /** Provider of the source account: the stack is made where the function is. */
  readonly provider: AwsProvider;
  readonly function: LambdaFunction;
  /** The function's name as configured (the stack's name is made of it at synth). */
  readonly functionName: string;
  /** Exact ARNs of the principals that may invoke the function URL. */
  readonly callerArns: readonly string[];
}

/**
 * Since October 2025 a function URL call needs lambda:InvokeFunction besides lambda:InvokeFunctionUrl. Provider
 * 5.100's aws_lambda_permission cannot limit InvokeFunction to the URL (invoked_via_function_url came in 6.28), and
 * without that limit a caller could invoke the function directly with a made-up requestContext. So the statements
 * come from a CloudFormation stack, whose AWS::Lambda::Permission has InvokedViaFunctionUrl.
 */
export class InvokeViaUrl extends Construct {
  public readonly stack: CloudformationStack;
  public readonly template: InvokeViaUrlTemplate;

  constructor(scope: Construct, id: string, props: InvokeViaUrlProps) {
    super(scope, id);
    this.template = invokeViaUrlTemplate(props.callerArns);
    this.stack = new CloudformationStack(this, "stack", {
      provider: props.provider,
      name: invokeViaUrlStackName(props.functionName),
      templateBody: JSON.stringify(this.template),
      parameters: { [FUNCTION_NAME_PARAMETER]: props.function.functionName },
      // A permission that fails to be added must not leave half a stack: roll the whole stack back.
      onFailure: "DELETE",
    });
  }
}
