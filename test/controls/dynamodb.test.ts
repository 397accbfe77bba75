import { REAL_ACCOUNTS, type TerraformBlock } from "../synth";
import * as controls from ".";
import { finding, MET_RULES, mutated, once, realStack, TABLE } from "./harness";

const deletableStack = once({ ...REAL_ACCOUNTS, allowDataDeletion: true });

describe("destination table", () => {
  test.each([
    [
      "billing_mode PROVISIONED",
      (table: TerraformBlock) => {
        table.billing_mode = "PROVISIONED";
      },
    ],
    [
      "billing_mode left out (PROVISIONED by default)",
      (table: TerraformBlock) => {
        delete table.billing_mode;
      },
    ],
  ])("DynamoDB.1: on-demand capacity (PAY_PER_REQUEST) — compliant: the stack; non-compliant: %s", (_, change) => {
    const rule = controls.tableOnDemand;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated((copy) => change(copy.resource("aws_dynamodb_table").block)))).toEqual([
      finding(rule, TABLE(), "not PAY_PER_REQUEST"),
    ]);
  });

  test.each([
    [
      "point_in_time_recovery enabled false",
      (table: TerraformBlock) => {
        table.point_in_time_recovery = { enabled: false };
      },
    ],
    [
      "point_in_time_recovery left out",
      (table: TerraformBlock) => {
        delete table.point_in_time_recovery;
      },
    ],
  ])("DynamoDB.2 / CKV_AWS_28: point-in-time recovery — compliant: the stack; non-compliant: %s", (_, change) => {
    const rule = controls.tablePointInTimeRecovery;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated((copy) => change(copy.resource("aws_dynamodb_table").block)))).toEqual([
      finding(rule, TABLE(), "point-in-time recovery is not enabled"),
    ]);
  });

  test("DynamoDB.6: deletion protection — compliant: the stack (on by default); non-compliant: deletion_protection_enabled false [aws-rule dynamodb-deletion-protection]", () => {
    const rule = controls.tableDeletionProtection;
    expect(rule.check(realStack().json)).toEqual([]);
    const nonCompliant = mutated((copy) => {
      copy.resource("aws_dynamodb_table").block.deletion_protection_enabled = false;
    });
    expect(rule.check(nonCompliant)).toEqual([finding(rule, TABLE(), "deletion_protection_enabled is false")]);
  });

  test.each([
    [
      "server_side_encryption left out (the provider keeps the key the table has)",
      (table: TerraformBlock) => {
        delete table.server_side_encryption;
      },
    ],
    [
      "server_side_encryption without enabled",
      (table: TerraformBlock) => {
        table.server_side_encryption = {};
      },
    ],
  ])(
    "[aws-rule dynamodb-sse-key] the table's key is written — compliant: the stack (enabled false, the AWS owned key); non-compliant: %s",
    (_, change) => {
      const rule = controls.tableEncryptionKeyWritten;
      expect(rule.check(realStack().json)).toEqual([]);
      expect(rule.check(mutated((copy) => change(copy.resource("aws_dynamodb_table").block)))).toEqual([
        finding(rule, TABLE(), "has no server_side_encryption.enabled"),
      ]);
    },
  );

  test("DynamoDB.6 opt-out: the documented opt-in allowDataDeletion:true is flagged by DynamoDB.6 and by no other met control", () => {
    const deletable = deletableStack();
    expect(controls.check(deletable.json, MET_RULES)).toEqual([
      finding(
        controls.tableDeletionProtection,
        `aws_dynamodb_table.${deletable.resource("aws_dynamodb_table").id}`,
        "deletion_protection_enabled is false",
      ),
    ]);
  });
});
