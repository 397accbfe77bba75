import type { SynthesizedStack } from "../synth";
import * as controls from ".";
import { addResource, bySid, DESTINATION_ACCOUNT, finding, mutated, realStack, type Statement } from "./harness";
import { destinationRole, LOGS_POLICY, PUT_RECORDS_POLICY, policyOf, WRITER_ROLE } from "./iam-harness";

describe("IAM policies: no wildcards, no managed *FullAccess", () => {
  test.each([
    [
      "dynamodb:* instead of dynamodb:PutItem (the guides' DynamoDB access)",
      (copy: SynthesizedStack) =>
        policyOf(copy, "put-records", "PutItemsIntoTable", (statement) => {
          statement.Action = ["dynamodb:*"];
        }),
      () => [finding(controls.noWildcardActions, PUT_RECORDS_POLICY(), "the wildcard action dynamodb:*")],
    ],
    [
      'Action "*"',
      (copy: SynthesizedStack) =>
        policyOf(copy, "put-records", "PutObjectsUnderPrefix", (statement) => {
          statement.Action = "*";
        }),
      () => [finding(controls.noWildcardActions, PUT_RECORDS_POLICY(), "the wildcard action *")],
    ],
    [
      "NotAction in an Allow",
      (copy: SynthesizedStack) =>
        policyOf(copy, "put-records", "PutObjectsUnderPrefix", (statement) => {
          statement.NotAction = "s3:DeleteObject";
          delete statement.Action;
        }),
      () => [finding(controls.noWildcardActions, PUT_RECORDS_POLICY(), "allows NotAction")],
    ],
    [
      "a customer-managed aws_iam_policy allowing s3:*",
      (copy: SynthesizedStack) =>
        addResource(copy, "aws_iam_policy", "bucket-admin", {
          name: "bucket-admin",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "s3:*",
                Resource: `${copy.reference("aws_s3_bucket", copy.resource("aws_s3_bucket").id, "arn")}/*`,
              },
            ],
          }),
        }),
      () => [finding(controls.noWildcardActions, "aws_iam_policy.bucket-admin", "the wildcard action s3:*")],
    ],
    [
      "a policy that is a data source expression, not JSON (cannot be checked, so it fails)",
      (copy: SynthesizedStack) => {
        copy.resource("aws_iam_role_policy", "name", "put-records").block.policy =
          "${data.aws_iam_policy_document.put.json}";
      },
      () => [finding(controls.noWildcardActions, PUT_RECORDS_POLICY(), "not a JSON document")],
    ],
  ])(
    'CKV_AWS_63: no "*" or "service:*" action in any IAM policy — compliant: the stack (its TLS bucket policy\'s s3:* is a Deny); non-compliant: %s',
    (_, change, expected) => {
      const rule = controls.noWildcardActions;
      expect(rule.check(realStack().json)).toEqual([]);
      expect(realStack().policy(realStack().resource("aws_s3_bucket_policy").block).Statement[0]).toEqual(
        expect.objectContaining({ Effect: "Deny", Action: "s3:*" }),
      );
      expect(rule.check(mutated(change))).toEqual(expected());
    },
  );

  test.each([
    [
      'PutItem on Resource "*"',
      (copy: SynthesizedStack) =>
        policyOf(copy, "put-records", "PutItemsIntoTable", (statement) => {
          statement.Resource = "*";
        }),
      () => [
        finding(
          controls.noWildcardResources,
          PUT_RECORDS_POLICY(),
          "allows dynamodb:PutItem, dynamodb:BatchWriteItem on *",
        ),
      ],
    ],
    [
      "PutItem on every table (arn:aws:dynamodb:*:*:table/*)",
      (copy: SynthesizedStack) =>
        policyOf(copy, "put-records", "PutItemsIntoTable", (statement) => {
          statement.Resource = "arn:aws:dynamodb:*:*:table/*";
        }),
      () => [
        finding(
          controls.noWildcardResources,
          PUT_RECORDS_POLICY(),
          "allows dynamodb:PutItem, dynamodb:BatchWriteItem on arn:aws:dynamodb:*:*:table/*",
        ),
      ],
    ],
    [
      'logs:PutLogEvents slipped into the X-Ray statement on "*"',
      (copy: SynthesizedStack) =>
        policyOf(copy, "write-own-logs", "SendTraces", (statement) => {
          statement.Action = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "logs:PutLogEvents"];
        }),
      () => [
        finding(controls.noWildcardResources, LOGS_POLICY(), "statement SendTraces allows logs:PutLogEvents on *"),
      ],
    ],
    [
      "NotResource in an Allow",
      (copy: SynthesizedStack) =>
        policyOf(copy, "put-records", "PutItemsIntoTable", (statement) => {
          statement.NotResource = "arn:aws:dynamodb:eu-central-1:210987654321:table/other";
          delete statement.Resource;
        }),
      () => [finding(controls.noWildcardResources, PUT_RECORDS_POLICY(), "allows NotResource")],
    ],
  ])(
    'CKV_AWS_355: no "*" resource but for actions without resource-level permissions (X-Ray) — compliant: the stack; non-compliant: %s',
    (_, change, expected) => {
      const rule = controls.noWildcardResources;
      expect(rule.check(realStack().json)).toEqual([]);
      expect(
        bySid(
          realStack().policy(realStack().resource("aws_iam_role_policy", "name", "write-own-logs").block)
            .Statement as unknown as Statement[],
          "SendTraces",
        ).Resource,
      ).toBe("*");
      expect(rule.check(mutated(change))).toEqual(expected());
    },
  );

  test.each([
    [
      "AmazonDynamoDBFullAccess attached to the destination role (the guides' policy)",
      "aws_iam_role_policy_attachment",
      "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
    ],
    [
      "AmazonS3FullAccess attached to the destination role (the guides' policy)",
      "aws_iam_role_policy_attachment",
      "arn:aws:iam::aws:policy/AmazonS3FullAccess",
    ],
    [
      "AdministratorAccess in the writer role's managed_policy_arns",
      "aws_iam_role",
      "arn:aws:iam::aws:policy/AdministratorAccess",
    ],
  ])(
    "IAM.21: no *FullAccess managed policy — compliant: the stack (no managed policies at all); non-compliant: %s",
    (_, type, policyArn) => {
      const rule = controls.noFullAccessPolicies;
      expect(rule.check(realStack().json)).toEqual([]);
      expect(realStack().resources("aws_iam_role_policy_attachment")).toEqual({});
      const nonCompliant = mutated((copy) => {
        if (type === "aws_iam_role")
          copy.resource(
            "aws_iam_role",
            "name",
            `cross-account-write-to-${DESTINATION_ACCOUNT}`,
          ).block.managed_policy_arns = [policyArn];
        else
          addResource(copy, type, "guide", {
            role: copy.reference("aws_iam_role", destinationRole().id, "name"),
            policy_arn: policyArn,
          });
      });
      expect(rule.check(nonCompliant)).toEqual([
        finding(rule, type === "aws_iam_role" ? WRITER_ROLE() : `${type}.guide`, `attaches ${policyArn}`),
      ]);
    },
  );
});
