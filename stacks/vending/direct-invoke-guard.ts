import { type PolicyDocument, type PolicyStatement, policyDocument } from "../policy-document";

/** The condition key Lambda sets on the lambda:InvokeFunction check of a function URL call (type Bool). */
export const INVOKED_VIA_FUNCTION_URL = "lambda:InvokedViaFunctionUrl";

/**
 * Denies lambda:InvokeFunction on the vend function unless the call came through its function URL. `BoolIfExists`
 * with "false" also matches a request without the key, so a direct Invoke is denied whether Lambda sends the key
 * as false or leaves it out; a URL call (true) passes.
 */
export function directInvokeGuardStatement(functionArn: string): PolicyStatement {
  return {
    Sid: "VendFunctionOnlyThroughItsUrl",
    Effect: "Deny",
    Action: "lambda:InvokeFunction",
    Resource: functionArn,
    Condition: { BoolIfExists: { [INVOKED_VIA_FUNCTION_URL]: "false" } },
  };
}

/** What a user deploys to close the same-account direct invoke: one statement, as an SCP and as a boundary part. */
export interface DirectInvokeGuard {
  /** A service control policy to attach to the source account (or its OU). */
  readonly serviceControlPolicy: PolicyDocument;
  /** A statement to add to the permissions boundary of every principal that may hold lambda:InvokeFunction. */
  readonly permissionsBoundaryStatement: PolicyStatement;
}

/**
 * The guard against a forged caller: the vend function trusts requestContext.authorizer.iam, which only a function
 * URL call sets truthfully; whoever may invoke the function directly can write any caller into it. The resource
 * policy grants callers no direct invoke, but in the function's own account an identity policy alone (`lambda:*`)
 * suffices, so the account's principals need this deny from above: an SCP, or their permissions boundary.
 */
export function directInvokeGuard(functionArn: string): DirectInvokeGuard {
  const statement = directInvokeGuardStatement(functionArn);
  return { serviceControlPolicy: policyDocument(statement), permissionsBoundaryStatement: statement };
}
