import { rule } from "./rule";
import { blocks, resources } from "./terraform";

export const tableOnDemand = rule(
  "DynamoDB.1",
  "Every table bills PAY_PER_REQUEST (capacity scales with demand)",
  (json, report) => {
    for (const [address, table] of resources(json, "aws_dynamodb_table")) {
      if (table.billing_mode !== "PAY_PER_REQUEST")
        report(
          address,
          `billing_mode is ${JSON.stringify(table.billing_mode ?? "PROVISIONED (default)")}, not PAY_PER_REQUEST`,
        );
    }
  },
);

export const tablePointInTimeRecovery = rule(
  "DynamoDB.2 / CKV_AWS_28",
  "Every table has point-in-time recovery enabled",
  (json, report) => {
    for (const [address, table] of resources(json, "aws_dynamodb_table")) {
      if (!blocks(table.point_in_time_recovery).some((pitr) => pitr.enabled === true))
        report(address, "point-in-time recovery is not enabled");
    }
  },
);

export const tableDeletionProtection = rule(
  "DynamoDB.6",
  "Every table has deletion protection (turned off only by the documented opt-in allowDataDeletion)",
  (json, report) => {
    for (const [address, table] of resources(json, "aws_dynamodb_table")) {
      if (table.deletion_protection_enabled !== true)
        report(
          address,
          `deletion_protection_enabled is ${JSON.stringify(table.deletion_protection_enabled)}: destroy deletes the table and its items`,
        );
    }
  },
);

export const tableEncryptionKeyWritten = rule(
  "dynamodb-sse-key",
  "Every table says which key encrypts it: a server_side_encryption block with enabled set (left out, the provider " +
    "keeps whatever key the table has; enabled true without kms_key_arn is the AWS managed key aws/dynamodb)",
  (json, report) => {
    for (const [address, table] of resources(json, "aws_dynamodb_table")) {
      const encryption = blocks(table.server_side_encryption)[0];
      if (typeof encryption?.enabled !== "boolean")
        report(address, "has no server_side_encryption.enabled: the table's key is whatever it was, not a choice");
    }
  },
);

export const tableCustomerManagedKey = rule(
  "CKV_AWS_119",
  "Every table is encrypted with a customer-managed KMS key",
  (json, report) => {
    for (const [address, table] of resources(json, "aws_dynamodb_table")) {
      const encryption = blocks(table.server_side_encryption)[0];
      if (encryption?.enabled === true && typeof encryption.kms_key_arn === "string") continue;
      report(
        address,
        encryption?.enabled === true
          ? "is encrypted with the AWS managed key aws/dynamodb, not a customer-managed KMS key"
          : "is encrypted with an AWS owned key, not a customer-managed KMS key",
      );
    }
  },
  'AWS owned key by default (no KMS charges); set tableEncryption to { "kmsKeyArn": ... } for a customer managed key',
);
