import { REAL_ACCOUNTS, synthesize, THREE_DESTINATIONS } from "../synth";
import * as controls from ".";
import { FUNCTION, finding, MET_RULES, mutated, realStack, securityRow, securityTable, TABLE } from "./harness";

describe("controls deliberately not met (as documented in the security page's table)", () => {
  test("CKV_AWS_119 not met by default — the AWS owned key (no KMS charges); met with tableEncryption { kmsKeyArn }", () => {
    const rule = controls.tableCustomerManagedKey;
    expect(securityRow("CKV_AWS_119")).toContain(`| not met | ${rule.notMet} |`);
    expect(realStack().resource("aws_dynamodb_table").block.server_side_encryption).toEqual({ enabled: false });
    expect(rule.check(realStack().json)).toEqual([finding(rule, TABLE(), "AWS owned key")]);
    const kmsKeyArn = "arn:aws:kms:eu-central-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(rule.check(synthesize({ ...REAL_ACCOUNTS, tableEncryption: { kmsKeyArn } }).json)).toEqual([]);
    expect(rule.check(synthesize({ ...REAL_ACCOUNTS, tableEncryption: "aws-managed" }).json)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("the AWS managed key aws/dynamodb") }),
    ]);
  });

  test("CKV_AWS_115 not set — reserving concurrency fails in new accounts whose limit is 10 (AWS keeps 10 unreserved): the writer has no reserved_concurrent_executions [aws-rule lambda-new-account-concurrency]", () => {
    const rule = controls.lambdaReservedConcurrency;
    expect(securityRow("CKV_AWS_115")).toContain(`| not set | ${rule.notMet} |`);
    expect(realStack().resource("aws_lambda_function").block.reserved_concurrent_executions).toBeUndefined();
    expect(rule.check(realStack().json)).toEqual([finding(rule, FUNCTION(), "no reserved concurrency")]);
  });

  test("CKV_AWS_116 not applicable — the writer is invoked synchronously and throws on failure: no DLQ, no on-failure destination", () => {
    const rule = controls.lambdaDeadLetterQueue;
    expect(securityRow("CKV_AWS_116")).toContain(`| not applicable | ${rule.notMet} |`);
    expect(realStack().resource("aws_lambda_function").block.dead_letter_config).toBeUndefined();
    expect(realStack().resources("aws_lambda_function_event_invoke_config")).toEqual({});
    expect(rule.check(realStack().json)).toEqual([
      finding(rule, FUNCTION(), "no dead-letter queue or on-failure destination"),
    ]);
  });
});

describe("all controls", () => {
  test("all rules over the real stack: no finding but the documented not-met controls CKV_AWS_119, CKV_AWS_115, CKV_AWS_116", () => {
    const findings = controls.check(realStack().json);
    expect(findings.map(({ rule, resource }) => [rule, resource])).toEqual([
      ["CKV_AWS_119", TABLE()],
      ["CKV_AWS_115", FUNCTION()],
      ["CKV_AWS_116", FUNCTION()],
    ]);
    expect(controls.check(realStack().json, MET_RULES)).toEqual([]);
  });

  test("all met rules hold for 3 destinations in 2 regions (every role, table, bucket and assume policy)", () => {
    const many = synthesize(THREE_DESTINATIONS);
    expect(Object.keys(many.resources("aws_s3_bucket"))).toHaveLength(3);
    expect(controls.check(many.json, MET_RULES)).toEqual([]);
    // Non-compliant: the writer keeps its sts:AssumeRole on archive's role while no longer writing there.
    const dropped = mutated((copy) => {
      const variables = copy.resource("aws_lambda_function").block.environment.variables;
      variables.DESTINATIONS = JSON.stringify(
        (JSON.parse(variables.DESTINATIONS) as { name: string }[]).filter(
          (destination) => destination.name !== "archive",
        ),
      );
    }, many);
    const archiveRole = many.resource("aws_iam_role", "name", "assume-role-via-111111111111-archive");
    expect(controls.sourceAssumesOnlyOneRole.check(dropped)).toEqual([
      finding(
        controls.sourceAssumesOnlyOneRole,
        `aws_iam_role.${many.resource("aws_iam_role", "name", "cross-account-writer").id}`,
        `may assume ${many.reference("aws_iam_role", archiveRole.id, "arn")}, which its function does not write through`,
      ),
    ]);
  });

  test("CKV_AWS_60/61 opt-in: configured trustedPrincipals are reported on every destination role by that rule and no other", () => {
    const trusting = synthesize({
      ...THREE_DESTINATIONS,
      trustedPrincipals: [{ arn: "arn:aws:iam::444444444444:user/alice", requireMfa: true }],
    });
    const roles = Object.values(trusting.resources("aws_iam_role")).filter((block) =>
      String(block.name).startsWith("assume-role-via-"),
    );
    expect(controls.check(trusting.json, MET_RULES)).toEqual(
      roles.map(() => ({
        rule: "CKV_AWS_60/61",
        resource: expect.stringMatching(/^aws_iam_role\.destination-/),
        message: expect.stringContaining("TrustedUsersWithMfa trusts arn:aws:iam::444444444444:user/alice"),
      })),
    );
  });

  test("every control id of the security page's table has a rule", () => {
    const controlIds = (text: string) =>
      text.match(/\b(CKV2?_AWS_\d+(?:[-/]\d+)?|(?:S3|IAM|DynamoDB|Lambda)\.\d+)\b/g) ?? [];
    const documented = securityTable().flatMap((line) => controlIds(line.split("|")[1]));
    const implemented = new Set(controls.ALL_RULES.flatMap((rule) => controlIds(rule.id)));
    expect(documented.length).toBeGreaterThan(20);
    expect(documented.filter((id) => !implemented.has(id))).toEqual([]);
  });
});
