import { synthesize } from "../synth";
import { VENDING_REAL_ACCOUNTS } from "../vending-fixtures";
import * as controls from ".";
import { editPolicy, finding, mutated, once } from "./harness";

// The vending pattern against the control rules: compliant as synthesized, and one non-compliant copy per control.
const vendingStack = once(VENDING_REAL_ACCOUNTS);
const VENDING_ROLE = "assume-role-via-123456789012-vending";
const vendingRoleAddress = () => `aws_iam_role.${vendingStack().resource("aws_iam_role", "name", VENDING_ROLE).id}`;
const vendFunctionAddress = () =>
  `aws_lambda_function.${vendingStack().resource("aws_lambda_function", "function_name", "cross-account-vend").id}`;
const findings = (rule: controls.Rule, json = vendingStack().json) => controls.check(json, [rule]);
const vendingTrust = (edit: (statements: Record<string, unknown>[]) => void) =>
  mutated((copy) => {
    editPolicy(copy.resource("aws_iam_role", "name", VENDING_ROLE).block, "assume_role_policy", edit);
  }, vendingStack());

describe("control rules on the vending pattern", () => {
  test("CKV_AWS_60/61 - compliant: the vending role trusts the vend function's role, SourceIdentity required", () => {
    expect(findings(controls.trustsExactlyTheWriterRole)).toEqual([]);
  });

  test("CKV_AWS_60/61 - non-compliant: sts:SetSourceIdentity and sts:TagSession without a required SourceIdentity [aws-rule sts-source-identity-trust]", () => {
    const json = vendingTrust(([assume]) => {
      delete assume.Condition;
    });
    expect(findings(controls.trustsExactlyTheWriterRole, json)).toEqual([
      finding(controls.trustsExactlyTheWriterRole, vendingRoleAddress(), "allows sts:SetSourceIdentity"),
      finding(controls.trustsExactlyTheWriterRole, vendingRoleAddress(), "allows sts:TagSession"),
    ]);
  });

  test("CKV_AWS_60/61 - non-compliant: the vending role trusts a role that runs no function of the stack", () => {
    const json = vendingTrust((statements) => {
      for (const statement of statements) statement.Principal = { AWS: "arn:aws:iam::123456789012:role/reporting" };
    });
    expect(findings(controls.trustsExactlyTheWriterRole, json)).toEqual(
      expect.arrayContaining([
        finding(controls.trustsExactlyTheWriterRole, vendingRoleAddress(), "is not the execution role of a Lambda"),
      ]),
    );
  });

  test("source-assumes-one-role - compliant: the vend function's role assumes only the vending roles it lists", () => {
    expect(findings(controls.sourceAssumesOnlyOneRole)).toEqual([]);
  });

  test("source-assumes-one-role - non-compliant: the vend function's role may also assume the writer's destination role", () => {
    const json = mutated((copy) => {
      const writerDestinationRole = copy.resource("aws_iam_role", "name", "assume-role-via-123456789012");
      editPolicy(
        copy.resource("aws_iam_role_policy", "name", "vend-from-vending-roles").block,
        "policy",
        ([statement]) => {
          statement.Resource = [
            ...(statement.Resource as string[]),
            copy.reference("aws_iam_role", writerDestinationRole.id, "arn"),
          ];
        },
      );
    }, vendingStack());
    expect(findings(controls.sourceAssumesOnlyOneRole, json)).toEqual([
      finding(
        controls.sourceAssumesOnlyOneRole,
        `aws_iam_role.${vendingStack().resource("aws_iam_role", "name", "cross-account-vend").id}`,
        "which its function does not write through",
      ),
    ]);
  });

  test("Lambda.1 - compliant: the URL is AWS_IAM and every permission names an exact principal", () => {
    expect(findings(controls.lambdaNotPublic)).toEqual([]);
  });

  test.each([
    [
      "a function URL with authorization_type NONE",
      "aws_lambda_function_url",
      "authorization_type",
      "NONE",
      "anyone on the internet may invoke it",
    ],
    ["a permission for principal *", "aws_lambda_permission", "principal", "*", 'to principal "*"'],
    [
      "a permission through an unauthenticated URL",
      "aws_lambda_permission",
      "function_url_auth_type",
      "NONE",
      "without authentication",
    ],
  ])("Lambda.1 - non-compliant: %s", (_what, type, attribute, value, message) => {
    let changed = "";
    const json = mutated((copy) => {
      const [[id, block]] = Object.entries(copy.resources(type));
      block[attribute] = value;
      changed = `${type}.${id}`;
    }, vendingStack());
    expect(findings(controls.lambdaNotPublic, json)).toEqual([finding(controls.lambdaNotPublic, changed, message)]);
  });

  test("Lambda.1 - non-compliant: the CloudFormation stack's InvokeFunction permission for principal *", () => {
    let changed = "";
    const json = mutated((copy) => {
      const stack = copy.resource("aws_cloudformation_stack");
      const template = JSON.parse(stack.block.template_body);
      const [logicalId, permission] = Object.entries<{ Properties: { Principal: string } }>(template.Resources)[0];
      permission.Properties.Principal = "*";
      stack.block.template_body = JSON.stringify(template);
      changed = `aws_cloudformation_stack.${stack.id} ${logicalId}`;
    }, vendingStack());
    expect(findings(controls.lambdaNotPublic, json)).toEqual([
      finding(controls.lambdaNotPublic, changed, 'grants lambda:InvokeFunction to principal "*"'),
    ]);
  });

  test("role-chaining-session - compliant: callers ask for at most 3600 s; non-compliant: a caller allowed 7200 s [aws-rule sts-role-chaining-one-hour]", () => {
    expect(findings(controls.roleChainingSessionAtMostOneHour)).toEqual([]);
    const json = mutated((copy) => {
      const variables = copy.resource("aws_lambda_function", "function_name", "cross-account-vend").block.environment
        .variables;
      const callers = JSON.parse(variables.CALLERS);
      callers[0].maxDurationSeconds = 7200;
      variables.CALLERS = JSON.stringify(callers);
    }, vendingStack());
    expect(findings(controls.roleChainingSessionAtMostOneHour, json)).toEqual([
      finding(controls.roleChainingSessionAtMostOneHour, vendFunctionAddress(), "the longest caller session is 7200"),
    ]);
  });

  test("the vending pattern adds no finding to any met control", () => {
    const met = controls.ALL_RULES.filter((rule) => rule.notMet === undefined);
    expect(controls.check(synthesize(VENDING_REAL_ACCOUNTS).json, met)).toEqual([]);
  });
});
