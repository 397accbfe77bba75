import {
  ADMINISTRATOR_ACCESS,
  type Caller,
  identityPolicy,
  principal,
  roleSession,
  type Target,
} from "../../scripts/access-map/evaluate";
import { inventoryOf } from "../../scripts/access-map/inventory";
import { synthesizedInstances } from "../../scripts/access-map/terraform-values";
import type { PolicyDocument } from "../../stacks/policy-document";
import { VENDING_OUTPUTS } from "../../stacks/vending/vending";
import { VENDING_REAL_ACCOUNTS } from "../vending-fixtures";
import { matrix, request, THIRD_ACCOUNT_ID } from "./matrix";
import { resolveStack } from "./resolve-stack";

// A function URL call is two checks (lambda:InvokeFunctionUrl with lambda:FunctionUrlAuthType, and, since October
// 2025, lambda:InvokeFunction with lambda:InvokedViaFunctionUrl = true); a direct Invoke is the second check
// without the URL. Evaluated on the function's resource policy and the guard exactly as synthesized.
const stack = resolveStack(VENDING_REAL_ACCOUNTS);
const { source } = stack.config;
const [reader, ingest] = (VENDING_REAL_ACCOUNTS.vending?.callers ?? []).map((caller) => caller.arn);
const functionArn = `arn:aws:lambda:${source.region}:${source.accountId}:function:cross-account-vend`;
const inventory = inventoryOf(synthesizedInstances(stack.synth.json));
const functionPolicy = inventory.resources.find((resource) => resource.arn === functionArn)?.resourcePolicy;
const target = (): Target => ({ arn: functionArn, accountId: source.accountId, resourcePolicy: functionPolicy });
const invokeUrl = request("lambda:InvokeFunctionUrl", target);
const invoke = request("lambda:InvokeFunction", target);
const viaIamAuth = { context: { "lambda:FunctionUrlAuthType": "AWS_IAM" } };
const throughUrl = { context: { "lambda:InvokedViaFunctionUrl": "true" } };
const notThroughUrl = { context: { "lambda:InvokedViaFunctionUrl": "false" } };

/** The synthesized vend-direct-invoke-guard output, its function reference replaced by the function's ARN. */
const guardOutput = stack.synth.json as { output?: Record<string, { value: Record<string, string> }> };
const guard = Object.fromEntries(
  Object.entries(guardOutput.output?.[VENDING_OUTPUTS.directInvokeGuard]?.value ?? {}).map(([key, json]) => [
    key,
    JSON.parse(json.replace(/\$\{aws_lambda_function\.[\w-]+\.arn\}/g, functionArn)),
  ]),
);
const FULL_AWS_ACCESS = { name: "FullAWSAccess", policy: ADMINISTRATOR_ACCESS.policy };
const lambdaAdmin = identityPolicy("lambda-admin", { Effect: "Allow", Action: "lambda:*", Resource: "*" });
/** A same-account administrator: allowed lambda:* by its own policy, which in one account needs no resource policy. */
const admin = (guarded?: "scp" | "boundary"): (() => Caller) => {
  const caller = principal(`arn:aws:iam::${source.accountId}:role/platform-admin`, [lambdaAdmin]);
  if (guarded === "scp")
    return () => ({
      ...caller,
      serviceControlPolicies: [FULL_AWS_ACCESS, { name: "vend-guard", policy: guard.service_control_policy }],
    });
  const boundary: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [...ADMINISTRATOR_ACCESS.policy.Statement, guard.permissions_boundary_statement],
  };
  return guarded === "boundary" ? () => ({ ...caller, permissionsBoundary: boundary }) : () => caller;
};
const readerSession = () =>
  roleSession(
    { arn: reader, name: "reporting", accountId: source.accountId, partition: "aws", identityPolicies: [] } as never,
    "nightly",
  );

describe("IAM matrix: a function URL call needs both actions, InvokeFunction only through the URL [aws-rule lambda-url-needs-invoke-function]", () => {
  test("the guard output holds one Deny of lambda:InvokeFunction on the function unless through its URL", () => {
    expect(guard.service_control_policy).toEqual({
      Version: "2012-10-17",
      Statement: [guard.permissions_boundary_statement],
    });
    expect(guard.permissions_boundary_statement).toEqual({
      Sid: "VendFunctionOnlyThroughItsUrl",
      Effect: "Deny",
      Action: "lambda:InvokeFunction",
      Resource: functionArn,
      Condition: { BoolIfExists: { "lambda:InvokedViaFunctionUrl": "false" } },
    });
  });
  matrix([
    invokeUrl.allowed(
      "the reader role (named) may call the URL: lambda:InvokeFunctionUrl",
      () => principal(reader, []),
      viaIamAuth,
    ),
    invoke.allowed(
      "the reader role (named) may call the URL: lambda:InvokeFunction through it",
      () => principal(reader, []),
      throughUrl,
    ),
    invoke.allowed(
      "a session of the reader role may call the URL: lambda:InvokeFunction through it",
      readerSession,
      throughUrl,
    ),
    invokeUrl.allowed(
      "the ingest user (named) may call the URL: lambda:InvokeFunctionUrl",
      () => principal(ingest, []),
      viaIamAuth,
    ),
    invoke.allowed(
      "the ingest user (named) may call the URL: lambda:InvokeFunction through it",
      () => principal(ingest, []),
      throughUrl,
    ),
    invoke.denied(
      "a role of the source account not named may not, even through the URL",
      () => principal(`arn:aws:iam::${source.accountId}:role/deploy-pipeline`, []),
      throughUrl,
    ),
    invoke.denied(
      "an administrator of a third account may not, even through the URL",
      () => principal(`arn:aws:iam::${THIRD_ACCOUNT_ID}:role/admin`, [ADMINISTRATOR_ACCESS]),
      throughUrl,
    ),
  ]);
});

describe("IAM matrix: no direct invoke for callers; the guard closes it for the account [aws-rule lambda-invoked-via-function-url]", () => {
  matrix([
    invoke.denied(
      "the named reader may not invoke the function directly (key false)",
      () => principal(reader, []),
      notThroughUrl,
    ),
    invoke.denied("the named reader may not invoke the function directly (key absent)", () => principal(reader, [])),
    invoke.denied(
      "the named ingest user may not invoke the function directly",
      () => principal(ingest, []),
      notThroughUrl,
    ),
    invoke.denied("an unknown principal of another account may not invoke it directly", () =>
      principal(`arn:aws:iam::${THIRD_ACCOUNT_ID}:role/admin`, [ADMINISTRATOR_ACCESS]),
    ),
    invoke.allowed(
      "without the guard a same-account admin with lambda:* may invoke it directly (the forged-caller path)",
      admin(),
      notThroughUrl,
    ),
    invoke.explicitlyDenied(
      "with the SCP guard the same admin may not invoke it directly (key false)",
      admin("scp"),
      notThroughUrl,
    ),
    invoke.explicitlyDenied("with the SCP guard the same admin may not invoke it directly (key absent)", admin("scp")),
    invoke.explicitlyDenied(
      "with the boundary guard the same admin may not invoke it directly",
      admin("boundary"),
      notThroughUrl,
    ),
    invoke.allowed("with the SCP guard the admin may still call it through the URL", admin("scp"), throughUrl),
    invoke.allowed(
      "with the boundary guard the admin may still call it through the URL",
      admin("boundary"),
      throughUrl,
    ),
    invokeUrl.allowed(
      "with the SCP guard the named reader still gets through the URL (InvokeFunctionUrl)",
      () => ({
        ...principal(reader, []),
        serviceControlPolicies: [FULL_AWS_ACCESS, { name: "vend-guard", policy: guard.service_control_policy }],
      }),
      viaIamAuth,
    ),
    invoke.allowed(
      "with the SCP guard the named reader still gets through the URL (InvokeFunction)",
      () => ({
        ...principal(reader, []),
        serviceControlPolicies: [FULL_AWS_ACCESS, { name: "vend-guard", policy: guard.service_control_policy }],
      }),
      throughUrl,
    ),
  ]);
});
