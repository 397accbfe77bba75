import { withParameters } from "../../stacks/inventory/role-template";
import type { PolicyStatement } from "../../stacks/policy-document";
import type { ResourceInstance } from "./terraform-values";

// The statements Lambda writes into a function's resource policy for the stack's permissions: aws_lambda_permission
// resources, and AWS::Lambda::Permission resources of its CloudFormation stacks.

/** A statement an `AWS::Lambda::Permission` of a stack adds to a function's resource policy. */
export interface StackPermission {
  /** The function's name or ARN, as the permission's FunctionName gives it (parameters filled in). */
  readonly functionName: string;
  /** The statement without its Resource: the caller adds the function's ARN. */
  readonly statement: Omit<PolicyStatement, "Resource">;
}

/** The properties of AWS::Lambda::Permission the map turns into a statement; any other is refused. */
const MODELLED_PROPERTIES = new Set([
  "Action",
  "FunctionName",
  "Principal",
  "InvokedViaFunctionUrl",
  "FunctionUrlAuthType",
  "SourceAccount",
  "SourceArn",
  "PrincipalOrgID",
]);

/**
 * The Lambda permissions of the stack's aws_cloudformation_stack resources, as the statements Lambda writes for
 * them (AddPermission's parameters become conditions). A stack with any other resource type, or a permission with
 * another property, is refused: the map would otherwise be silently wrong about it.
 */
export function stackPermissions(
  instances: readonly ResourceInstance[],
  text: (instance: ResourceInstance, argument: string) => string,
  resolve: (text: string) => string,
): StackPermission[] {
  return instances
    .filter((instance) => instance.type === "aws_cloudformation_stack")
    .flatMap((stack) => {
      const where = `aws_cloudformation_stack.${stack.id}`;
      const raw = (stack.values.parameters ?? {}) as Record<string, unknown>;
      const parameters = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, resolve(String(value))]));
      const template = JSON.parse(text(stack, "template_body")) as { Resources?: Record<string, unknown> };
      const resources = withParameters(template.Resources ?? {}, parameters, `${where}'s template`) as Record<
        string,
        { Type: string; Properties: Record<string, unknown> }
      >;
      return Object.entries(resources).map(([logicalId, resource]) => {
        if (resource.Type !== "AWS::Lambda::Permission")
          throw new Error(
            `${where} makes ${logicalId} of type ${resource.Type}, which the access map does not model; allowed is AWS::Lambda::Permission`,
          );
        const unknown = Object.keys(resource.Properties).filter((key) => !MODELLED_PROPERTIES.has(key));
        if (unknown.length > 0)
          throw new Error(`${where}'s ${logicalId} sets ${unknown.join(", ")}, which the access map does not model`);
        return { functionName: String(resource.Properties.FunctionName), statement: statementOf(logicalId, resource) };
      });
    });
}

function statementOf(logicalId: string, { Properties: properties }: { Properties: Record<string, unknown> }) {
  const value = (key: string) => (typeof properties[key] === "string" ? (properties[key] as string) : undefined);
  const principal = String(properties.Principal);
  const condition: Record<string, Record<string, string>> = {};
  const equals = {
    ...(value("SourceAccount") ? { "aws:SourceAccount": value("SourceAccount") as string } : {}),
    ...(value("FunctionUrlAuthType") ? { "lambda:FunctionUrlAuthType": value("FunctionUrlAuthType") as string } : {}),
    ...(value("PrincipalOrgID") ? { "aws:PrincipalOrgID": value("PrincipalOrgID") as string } : {}),
  };
  if (Object.keys(equals).length > 0) condition.StringEquals = equals;
  if (value("SourceArn")) condition.ArnLike = { "aws:SourceArn": value("SourceArn") as string };
  const viaUrl = properties.InvokedViaFunctionUrl;
  if (viaUrl === true || viaUrl === "true") condition.Bool = { "lambda:InvokedViaFunctionUrl": "true" };
  return {
    Sid: logicalId,
    Effect: "Allow" as const,
    Principal:
      principal === "*"
        ? ("*" as const)
        : principal.endsWith(".amazonaws.com")
          ? { Service: principal }
          : { AWS: principal },
    Action: String(properties.Action),
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/** An aws_lambda_permission as the statement Lambda adds to the function's resource policy. */
export function permissionStatement(
  permission: ResourceInstance,
  functionArn: string,
  text: (instance: ResourceInstance, argument: string) => string,
): PolicyStatement {
  const optional = (argument: string) =>
    typeof permission.values[argument] === "string" && permission.values[argument] !== ""
      ? text(permission, argument)
      : undefined;
  const principal = text(permission, "principal");
  const condition: Record<string, Record<string, string>> = {};
  const sourceArn = optional("source_arn");
  const sourceAccount = optional("source_account");
  const urlAuth = optional("function_url_auth_type");
  const orgId = optional("principal_org_id");
  if (sourceArn) condition.ArnLike = { "aws:SourceArn": sourceArn };
  if (sourceAccount || urlAuth || orgId)
    condition.StringEquals = {
      ...(sourceAccount ? { "aws:SourceAccount": sourceAccount } : {}),
      ...(urlAuth ? { "lambda:FunctionUrlAuthType": urlAuth } : {}),
      ...(orgId ? { "aws:PrincipalOrgID": orgId } : {}),
    };
  return {
    Sid: text(permission, "statement_id"),
    Effect: "Allow",
    Principal:
      principal === "*" ? "*" : principal.includes(".amazonaws.com") ? { Service: principal } : { AWS: principal },
    Action: text(permission, "action"),
    Resource: functionArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}
