import { REAL_ACCOUNTS, type SynthesizedStack, type TerraformBlock } from "../synth";
import * as controls from ".";
import {
  addResource,
  address,
  FUNCTION,
  finding,
  MET_RULES,
  mutated,
  once,
  realStack,
  rootedStack,
  SOURCE_ACCOUNT,
} from "./harness";

const untracedStack = once({ ...REAL_ACCOUNTS, tracing: false });

describe("writer Lambda", () => {
  test.each(["nodejs20.x", "nodejs18.x"])(
    "Lambda.2 / CKV_AWS_363: supported runtime (nodejs22.x) — compliant: the stack; non-compliant: runtime %s [aws-rule lambda-runtime-supported]",
    (runtime) => {
      const rule = controls.lambdaSupportedRuntime;
      expect(rule.check(realStack().json)).toEqual([]);
      const nonCompliant = mutated((copy) => {
        copy.resource("aws_lambda_function").block.runtime = runtime;
      });
      expect(rule.check(nonCompliant)).toEqual([
        finding(rule, FUNCTION(), `runtime "${runtime}" is not a supported runtime`),
      ]);
    },
  );

  test.each([
    [
      "a permission for one account",
      'an aws_lambda_permission for principal "*"',
      "aws_lambda_permission",
      { action: "lambda:InvokeFunction", principal: SOURCE_ACCOUNT },
      { action: "lambda:InvokeFunction", principal: "*" },
      'to principal "*"',
    ],
    [
      "a function URL with AWS_IAM auth",
      "a function URL with authorization_type NONE",
      "aws_lambda_function_url",
      { authorization_type: "AWS_IAM" },
      { authorization_type: "NONE" },
      'authorization_type "NONE"',
    ],
  ])(
    "Lambda.1: not public — compliant: the stack (no resource policy, no URL), and %s; non-compliant: %s",
    (_, __, type, compliant, nonCompliant, message) => {
      const rule = controls.lambdaNotPublic;
      const withResource = (attributes: TerraformBlock) =>
        mutated((copy) =>
          addResource(copy, type, "exposed", {
            function_name: copy.reference(
              "aws_lambda_function",
              copy.resource("aws_lambda_function").id,
              "function_name",
            ),
            ...attributes,
          }),
        );
      expect(rule.check(realStack().json)).toEqual([]);
      expect(rule.check(withResource(compliant))).toEqual([]);
      expect(rule.check(withResource(nonCompliant))).toEqual([finding(rule, `${type}.exposed`, message)]);
    },
  );

  test.each([
    [
      "retention_in_days left out",
      (copy: SynthesizedStack) => {
        delete copy.resource("aws_cloudwatch_log_group").block.retention_in_days;
      },
      () => [
        finding(
          controls.logGroupRetention,
          address("aws_cloudwatch_log_group"),
          "retention_in_days is undefined: logs are kept forever",
        ),
      ],
    ],
    [
      "retention_in_days 0 (never expire)",
      (copy: SynthesizedStack) => {
        copy.resource("aws_cloudwatch_log_group").block.retention_in_days = 0;
      },
      () => [finding(controls.logGroupRetention, address("aws_cloudwatch_log_group"), "retention_in_days is 0")],
    ],
    [
      "the log group named for another function (Lambda would create its own, unretained)",
      (copy: SynthesizedStack) => {
        copy.resource("aws_cloudwatch_log_group").block.name = "/aws/lambda/another-function";
      },
      () => [
        finding(
          controls.logGroupRetention,
          FUNCTION(),
          "logs into /aws/lambda/cross-account-dynamodb-write, which this stack does not create",
        ),
      ],
    ],
  ])(
    "CKV_AWS_66: the writer's log group has a retention period — compliant: the stack (30 days); non-compliant: %s",
    (_, change, expected) => {
      const rule = controls.logGroupRetention;
      expect(rule.check(realStack().json)).toEqual([]);
      expect(rule.check(mutated(change))).toEqual(expected());
    },
  );

  test.each([
    ["DB_PASSWORD", "hunter2", "DB_PASSWORD looks like a secret"],
    ["API_TOKEN", "t0k3n", "API_TOKEN looks like a secret"],
    ["AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SECRET_ACCESS_KEY looks like a secret"],
    ["UPSTREAM", "AKIAIOSFODNN7EXAMPLE", "UPSTREAM holds what looks like an access key"],
  ])(
    "CKV_AWS_45: no secrets in the environment — compliant: the stack, and its EXTERNAL_ID (not a secret); non-compliant: %s",
    (name, value, message) => {
      const rule = controls.lambdaNoSecretsInEnvironment;
      expect(rule.check(realStack().json)).toEqual([]);
      expect(rootedStack().resource("aws_lambda_function").block.environment.variables.EXTERNAL_ID).toBe(
        "partner-7f3a",
      );
      expect(rule.check(rootedStack().json)).toEqual([]);
      const nonCompliant = mutated((copy) => {
        copy.resource("aws_lambda_function").block.environment.variables[name] = value;
      });
      expect(rule.check(nonCompliant)).toEqual([finding(rule, FUNCTION(), message)]);
    },
  );

  test("CKV_AWS_50: X-Ray active tracing — compliant: the stack (on by default); non-compliant: mode PassThrough", () => {
    const rule = controls.lambdaTracing;
    expect(rule.check(realStack().json)).toEqual([]);
    const nonCompliant = mutated((copy) => {
      copy.resource("aws_lambda_function").block.tracing_config = { mode: "PassThrough" };
    });
    expect(rule.check(nonCompliant)).toEqual([finding(rule, FUNCTION(), 'tracing mode is "PassThrough", not Active')]);
  });

  test("CKV_AWS_50 opt-out: tracing:false is flagged by CKV_AWS_50 and by no other met control", () => {
    const untraced = untracedStack();
    expect(controls.check(untraced.json, MET_RULES)).toEqual([
      finding(
        controls.lambdaTracing,
        `aws_lambda_function.${untraced.resource("aws_lambda_function").id}`,
        "not Active",
      ),
    ]);
  });
});
