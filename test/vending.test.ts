import { readVendSettings, VEND_ENVIRONMENT } from "../functions/vend/environment";
import { callerPermissionId, resolveConfig } from "../stacks/config";
import { invokeViaUrlLogicalId } from "../stacks/vending/invoke-via-url";
import { unionAccess } from "../stacks/vending/vending-role";
import { problemsOf } from "./config-fixtures";
import { exampleWith, synthesize, THREE_DESTINATIONS } from "./synth";
import { VENDING_SCHEMA_FAILING } from "./vending-config-cases";
import { READER_ARN, VENDING_EXAMPLE, VENDING_REAL_ACCOUNTS, WRITER_ARN } from "./vending-fixtures";

const stack = synthesize(VENDING_REAL_ACCOUNTS);
const vendFunction = stack.resource("aws_lambda_function", "function_name", "cross-account-vend");
const executionRole = stack.resource("aws_iam_role", "name", "cross-account-vend");
const vendingRole = stack.resource("aws_iam_role", "name", "assume-role-via-123456789012-vending");
const [READER_REAL, WRITER_REAL] = (VENDING_REAL_ACCOUNTS.vending?.callers ?? []).map((caller) => caller.arn);
const executionRoleArn = stack.reference("aws_iam_role", executionRole.id, "arn");
const vendingRoleArn = stack.reference("aws_iam_role", vendingRole.id, "arn");

describe("the vending pattern", () => {
  test("is off unless configured: the example has no vending resource", () => {
    const plain = synthesize();
    expect(Object.keys(plain.resources("aws_lambda_function_url"))).toEqual([]);
    expect(Object.keys(plain.resources("aws_lambda_permission"))).toEqual([]);
    expect(Object.values(plain.resources("aws_iam_role")).map((role) => role.name)).not.toContain("cross-account-vend");
  });

  test("the function URL uses AuthType AWS_IAM [aws-rule lambda-url-auth-iam]", () => {
    expect(stack.resource("aws_lambda_function_url").block).toEqual(
      expect.objectContaining({
        authorization_type: "AWS_IAM",
        function_name: stack.reference("aws_lambda_function", vendFunction.id, "function_name"),
        provider: "aws.source",
      }),
    );
  });

  test("each caller, by its exact ARN, and only the callers get lambda:InvokeFunctionUrl with auth type AWS_IAM", () => {
    const permissions = Object.values(stack.resources("aws_lambda_permission"));
    expect(permissions.map((permission) => permission.principal).sort()).toEqual(
      ["arn:aws:iam::123456789012:role/reporting", "arn:aws:iam::123456789012:user/ingest"].sort(),
    );
    for (const permission of permissions) {
      expect(permission).toEqual(
        expect.objectContaining({
          action: "lambda:InvokeFunctionUrl",
          function_url_auth_type: "AWS_IAM",
          statement_id: callerPermissionId(permission.principal),
        }),
      );
    }
  });

  test("[aws-rule lambda-url-needs-invoke-function] [aws-rule lambda-invoked-via-function-url] each caller, and only the callers, get lambda:InvokeFunction through the URL only, from one CloudFormation stack", () => {
    const cfn = stack.resource("aws_cloudformation_stack").block;
    expect(cfn).toEqual(
      expect.objectContaining({
        name: "invoke-via-url-cross-account-vend",
        parameters: { FunctionName: stack.reference("aws_lambda_function", vendFunction.id, "function_name") },
        on_failure: "DELETE",
        provider: "aws.source",
      }),
    );
    const template = JSON.parse(cfn.template_body);
    const permissions = Object.values(template.Resources);
    expect(permissions).toEqual(
      [READER_REAL, WRITER_REAL].map((arn) => ({
        Type: "AWS::Lambda::Permission",
        Properties: {
          Action: "lambda:InvokeFunction",
          FunctionName: { Ref: "FunctionName" },
          Principal: arn,
          InvokedViaFunctionUrl: true,
        },
      })),
    );
    expect(Object.keys(template.Resources)).toEqual([READER_REAL, WRITER_REAL].map(invokeViaUrlLogicalId));
    expect(new Set(Object.keys(template.Resources).map((id) => /^[A-Za-z0-9]{1,255}$/.test(id)))).toEqual(
      new Set([true]),
    );
  });

  test("logical ids stay apart for principals whose names differ only in punctuation, and stay put as callers change", () => {
    const ids = ["role/a.b", "role/a-b", "role/a_b", "user/a.b"].map((tail) =>
      invokeViaUrlLogicalId(`arn:aws:iam::123456789012:${tail}`),
    );
    expect(new Set(ids).size).toBe(4);
    expect(invokeViaUrlLogicalId("arn:aws:iam::123456789012:role/team/a.b")).toBe(ids[0]);
  });

  test("in emulator mode the source provider reaches CloudFormation on the emulator too", () => {
    const providers = synthesize(VENDING_EXAMPLE).json.provider?.aws ?? [];
    const source = providers.find((provider) => provider.alias === "source");
    expect(source?.endpoints[0].cloudformation).toBe(source?.endpoints[0].lambda);
    expect(source?.endpoints[0].cloudformation).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  test("the execution role is trusted by Lambda of the source account only, with a log group kept 30 days", () => {
    expect(stack.policy(executionRole.block, "assume_role_policy").Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      }),
    ]);
    expect(stack.resource("aws_cloudwatch_log_group", "name", "/aws/lambda/cross-account-vend").block).toEqual(
      expect.objectContaining({ retention_in_days: 30 }),
    );
  });

  test("the function is the vend bundle on nodejs22.x with X-Ray, and may assume exactly the vending roles [aws-rule lambda-runtime-supported]", () => {
    expect(vendFunction.block).toEqual(
      expect.objectContaining({
        runtime: "nodejs22.x",
        handler: "index.handler",
        role: executionRoleArn,
        tracing_config: { mode: "Active" },
      }),
    );
    const assume = stack.resource("aws_iam_role_policy", "name", "vend-from-vending-roles").block;
    expect(stack.policy(assume).Statement).toEqual([
      {
        Sid: "AssumeTheVendingRolesOnly",
        Effect: "Allow",
        Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
        Resource: [vendingRoleArn],
      },
    ]);
  });

  test("a vending role trusts only the vend function's role, only with a SourceIdentity, made in the destination [aws-rule sts-source-identity-trust] [aws-rule sts-tag-session-trust]", () => {
    expect(vendingRole.block.provider).toBe("aws.destination");
    expect(vendingRole.block.max_session_duration).toBe(3600);
    expect(stack.policy(vendingRole.block, "assume_role_policy").Statement).toEqual([
      {
        Sid: "VendFunctionWithSourceIdentityOnly",
        Effect: "Allow",
        Principal: { AWS: executionRoleArn },
        Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
        Condition: { Null: { "sts:SourceIdentity": "false" } },
      },
      {
        Sid: "VendFunctionTagsCallerAndPurposeOnly",
        Effect: "Allow",
        Principal: { AWS: executionRoleArn },
        Action: "sts:TagSession",
        Condition: {
          "ForAllValues:StringEquals": { "aws:TagKeys": ["caller", "purpose"] },
          Null: { "aws:RequestTag/caller": "false" },
        },
      },
    ]);
  });

  test("a vending role's own policy is the union of its callers' access under the bucket prefix", () => {
    const policy = stack.resource("aws_iam_role_policy", "role", stack.reference("aws_iam_role", vendingRole.id, "id"));
    expect(policy.block.name).toBe("vend-read-write-records");
    const actions = stack.policy(policy.block).Statement.flatMap((statement) => statement.Action);
    expect(actions.sort()).toEqual(
      [
        "dynamodb:PutItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "s3:PutObject",
        "s3:GetObject",
        "s3:ListBucket",
      ].sort(),
    );
    expect(unionAccess(["read"])).toBe("read");
    expect(unionAccess(["write", "write"])).toBe("write");
    expect(unionAccess(["read", "write"])).toBe("read-write");
  });

  test("the function's environment is the vend contract, with the vending role and stores by reference", () => {
    const variables: Record<string, string> = vendFunction.block.environment.variables;
    expect(Object.keys(variables).sort()).toEqual(Object.values(VEND_ENVIRONMENT).sort());
    const [destination] = JSON.parse(variables[VEND_ENVIRONMENT.destinations]);
    expect(destination).toEqual(
      expect.objectContaining({ name: "destination", roleArn: vendingRoleArn, bucketPrefix: "records" }),
    );
    // With references replaced by what they resolve to, the function accepts its own environment.
    const resolved = Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [
        name,
        value
          .replace(vendingRoleArn, "arn:aws:iam::210987654321:role/assume-role-via-123456789012-vending")
          .replace(/\$\{aws_dynamodb_table\.[^}]*\.name\}/, "wd-ddb-table")
          .replace(
            /\$\{aws_dynamodb_table\.[^}]*\.arn\}/,
            "arn:aws:dynamodb:eu-central-1:210987654321:table/wd-ddb-table",
          )
          .replace(/\$\{aws_s3_bucket\.[^}]*\.bucket\}/, "wd-records-210987654321-eu-central-1"),
      ]),
    );
    expect(readVendSettings(resolved).callers.map((caller) => caller.arn)).toEqual([
      "arn:aws:iam::123456789012:role/reporting",
      "arn:aws:iam::123456789012:user/ingest",
    ]);
  });

  test("outputs the function URL, its name, its role and each vending role", () => {
    expect(stack.json.output?.["vend-function-url"].value).toBe(
      stack.reference("aws_lambda_function_url", stack.resource("aws_lambda_function_url").id, "function_url"),
    );
    expect(Object.keys(stack.json.output ?? {})).toEqual(
      expect.arrayContaining(["vend-function-name", "vend-role-arn", "vending-roles"]),
    );
  });

  test("only destinations a caller names get a vending role, each made with its own provider", () => {
    const three = synthesize({
      ...THREE_DESTINATIONS,
      vending: { callers: [{ arn: READER_ARN, destinations: ["analytics-eu", "archive"], access: "read" }] },
    });
    const roles = Object.values(three.resources("aws_iam_role")).filter((role) => role.name.endsWith("-vending"));
    expect(roles.map((role) => [role.name, role.provider]).sort()).toEqual([
      ["assume-role-via-111111111111-analytics-eu-vending", "aws.destination-222222222222-eu-west-1"],
      ["assume-role-via-111111111111-archive-vending", "aws.destination-333333333333-us-east-1"],
    ]);
  });
});

describe("the vending config", () => {
  test("resolves with defaults, and is absent when not configured", () => {
    expect(resolveConfig(VENDING_EXAMPLE).vending).toEqual({
      callers: [
        { arn: READER_ARN, destinations: ["destination"], access: "read" },
        {
          arn: WRITER_ARN,
          destinations: ["destination"],
          access: "write",
          prefix: "ingest/in",
          maxDurationSeconds: 1800,
        },
      ],
      functionName: "cross-account-vend",
      executionRole: "cross-account-vend",
    });
    expect(resolveConfig(exampleWith({})).vending).toBeUndefined();
  });

  test.each(VENDING_SCHEMA_FAILING)(
    "fails for %s, naming the field, the value and what is allowed",
    (_what, input, expected) => {
      expect(problemsOf(input).join("\n")).toMatch(expected);
    },
  );
});
