import type { SynthesizedStack } from "../synth";
import * as controls from ".";
import {
  addResource,
  DESTINATION_ACCOUNT,
  editPolicy,
  FUNCTION,
  finding,
  mutated,
  realStack,
  rootedStack,
  SOURCE_ACCOUNT,
  type Statement,
} from "./harness";
import {
  ASSUME_POLICY,
  DESTINATION_ROLE,
  destinationRoleArn,
  policyOf,
  trust,
  WRITER_ROLE,
  writerRole,
  writerRoleArn,
} from "./iam-harness";

describe("cross-account trust and IAM", () => {
  const rule = controls.trustsExactlyTheWriterRole;
  test.each([
    [
      "the guides' trust of the whole source account (its :root, no condition)",
      (copy: SynthesizedStack) =>
        trust(copy, (statement) => {
          statement.Principal = { AWS: `arn:aws:iam::${SOURCE_ACCOUNT}:root` };
        }),
      () => [finding(rule, DESTINATION_ROLE(), `trusts the whole account arn:aws:iam::${SOURCE_ACCOUNT}:root`)],
    ],
    [
      'Principal "*"',
      (copy: SynthesizedStack) =>
        trust(copy, (statement) => {
          statement.Principal = "*";
        }),
      () => [finding(rule, DESTINATION_ROLE(), 'trusts Principal "*"')],
    ],
    [
      "the source account's :root with ArnLike aws:PrincipalArn role/*",
      (copy: SynthesizedStack) =>
        trust(copy, (statement) => {
          statement.Principal = { AWS: `arn:aws:iam::${SOURCE_ACCOUNT}:root` };
          statement.Condition = { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${SOURCE_ACCOUNT}:role/*` } };
        }),
      () => [finding(rule, DESTINATION_ROLE(), "a pattern that matches more than one role")],
    ],
    [
      "another role of the source account next to the writer's",
      (copy: SynthesizedStack) =>
        trust(copy, (statement) => {
          statement.Principal = { AWS: [writerRoleArn(), `arn:aws:iam::${SOURCE_ACCOUNT}:role/admin`] };
        }),
      () => [
        finding(rule, DESTINATION_ROLE(), "trusts 2 principals"),
        finding(
          rule,
          DESTINATION_ROLE(),
          `role/admin, which is not the execution role of a Lambda function of this stack`,
        ),
      ],
    ],
    [
      "a service principal next to the writer's role",
      (copy: SynthesizedStack) =>
        trust(copy, (statement) => {
          statement.Principal = { AWS: writerRoleArn(), Service: "ec2.amazonaws.com" };
        }),
      () => [finding(rule, DESTINATION_ROLE(), "also trusts Service ec2.amazonaws.com")],
    ],
    [
      "sts:TagSession, which the writer does not send",
      (copy: SynthesizedStack) =>
        trust(copy, (statement) => {
          statement.Action = ["sts:AssumeRole", "sts:TagSession"];
        }),
      () => [finding(rule, DESTINATION_ROLE(), "allows sts:TagSession")],
    ],
  ])(
    "CKV_AWS_60/61: the destination role trusts exactly the writer's role — compliant: the stack, and the source :root restricted by ArnEquals aws:PrincipalArn (+ ExternalId, org id); non-compliant: %s",
    (_, change, expected) => {
      expect(rule.check(realStack().json)).toEqual([]);
      expect(rule.check(rootedStack().json)).toEqual([]);
      expect(rule.check(mutated(change))).toEqual(expected());
    },
  );

  test.each([
    [
      'Resource "*"',
      (copy: SynthesizedStack) =>
        policyOf(copy, `sts-access-to-${DESTINATION_ACCOUNT}`, "AssumeTheDestinationRoleOnly", (statement) => {
          statement.Resource = "*";
        }),
      () => [
        finding(controls.sourceAssumesOnlyOneRole, ASSUME_POLICY(), "on *, a pattern that matches more than one role"),
        finding(
          controls.sourceAssumesOnlyOneRole,
          WRITER_ROLE(),
          "may assume *, which its function does not write through",
        ),
      ],
    ],
    [
      "every role of the destination account (role/*)",
      (copy: SynthesizedStack) =>
        policyOf(copy, `sts-access-to-${DESTINATION_ACCOUNT}`, "AssumeTheDestinationRoleOnly", (statement) => {
          statement.Resource = `arn:aws:iam::${DESTINATION_ACCOUNT}:role/*`;
        }),
      () => [
        finding(controls.sourceAssumesOnlyOneRole, ASSUME_POLICY(), "a pattern that matches more than one role"),
        finding(
          controls.sourceAssumesOnlyOneRole,
          WRITER_ROLE(),
          `may assume arn:aws:iam::${DESTINATION_ACCOUNT}:role/*, which its function does not write through`,
        ),
      ],
    ],
    [
      "a second policy that also lets the writer assume OrganizationAccountAccessRole",
      (copy: SynthesizedStack) =>
        addResource(copy, "aws_iam_role_policy", "extra", {
          name: "assume-admin",
          role: copy.reference("aws_iam_role", writerRole().id, "id"),
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "sts:AssumeRole",
                Resource: `arn:aws:iam::${DESTINATION_ACCOUNT}:role/OrganizationAccountAccessRole`,
              },
            ],
          }),
        }),
      () => [
        finding(
          controls.sourceAssumesOnlyOneRole,
          "aws_iam_role_policy.extra",
          "OrganizationAccountAccessRole, which is not a role of this stack by reference",
        ),
        finding(
          controls.sourceAssumesOnlyOneRole,
          WRITER_ROLE(),
          "OrganizationAccountAccessRole, which its function does not write through",
        ),
      ],
    ],
  ])(
    "source may sts:AssumeRole only on its destination roles by reference — compliant: the stack; non-compliant: %s",
    (_, change, expected) => {
      const rule = controls.sourceAssumesOnlyOneRole;
      expect(rule.check(realStack().json)).toEqual([]);
      expect(
        realStack().policy(
          realStack().resource("aws_iam_role_policy", "name", `sts-access-to-${DESTINATION_ACCOUNT}`).block,
        ).Statement[0].Resource,
      ).toBe(destinationRoleArn());
      expect(rule.check(mutated(change))).toEqual(expected());
    },
  );

  const lambdaTrust = (edit: (statement: Statement) => void) => (copy: SynthesizedStack) =>
    editPolicy(
      copy.resource("aws_iam_role", "name", `cross-account-write-to-${DESTINATION_ACCOUNT}`).block,
      "assume_role_policy",
      ([statement]) => edit(statement),
    );
  test.each([
    [
      "no aws:SourceAccount condition",
      lambdaTrust((statement) => {
        delete statement.Condition;
      }),
      () => [finding(controls.lambdaTrustWithSourceAccount, WRITER_ROLE(), "no StringEquals aws:SourceAccount")],
    ],
    [
      "aws:SourceAccount of the destination account",
      lambdaTrust((statement) => {
        statement.Condition = { StringEquals: { "aws:SourceAccount": DESTINATION_ACCOUNT } };
      }),
      () => [
        finding(
          controls.lambdaTrustWithSourceAccount,
          WRITER_ROLE(),
          `requires aws:SourceAccount ${DESTINATION_ACCOUNT}, not the role's own account ${SOURCE_ACCOUNT}`,
        ),
      ],
    ],
    [
      "ec2.amazonaws.com trusted as well",
      lambdaTrust((statement) => {
        statement.Principal = { Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] };
      }),
      () => [
        finding(
          controls.lambdaTrustWithSourceAccount,
          WRITER_ROLE(),
          'only {"Service":"lambda.amazonaws.com"} is allowed',
        ),
      ],
    ],
  ])(
    "Lambda execution role trusts lambda.amazonaws.com with aws:SourceAccount — compliant: the stack; non-compliant: %s [aws-rule lambda-execution-role-source-account]",
    (_, change, expected) => {
      const rule = controls.lambdaTrustWithSourceAccount;
      expect(rule.check(realStack().json)).toEqual([]);
      expect(rule.check(mutated(change))).toEqual(expected());
    },
  );

  test("role chaining: the writer asks for at most 3600 s — compliant: the stack; non-compliant: SESSION_DURATION_SECONDS 7200 [aws-rule sts-role-chaining-one-hour]", () => {
    const rule = controls.roleChainingSessionAtMostOneHour;
    expect(rule.check(realStack().json)).toEqual([]);
    const nonCompliant = mutated((copy) => {
      copy.resource("aws_lambda_function").block.environment.variables.SESSION_DURATION_SECONDS = "7200";
    });
    expect(rule.check(nonCompliant)).toEqual([
      finding(rule, FUNCTION(), 'SESSION_DURATION_SECONDS is "7200"; a chained session'),
    ]);
  });
});
