import * as v from "valibot";
import * as field from "./fields";

/**
 * The key DynamoDB encrypts a table with (DynamoDB encryption at rest; every table is encrypted):
 * - `aws-owned`: a key DynamoDB owns, no charge (`server_side_encryption { enabled = false }`);
 * - `aws-managed`: the AWS managed key `aws/dynamodb` in the table's account, KMS charges (`enabled = true`);
 * - `{ kmsKeyArn }`: a customer managed KMS key of the table's account and region, KMS charges (CKV_AWS_119).
 */
export type TableEncryption = "aws-owned" | "aws-managed" | { readonly kmsKeyArn: string };

const kmsKeyArn = field.pattern(
  /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[\w-]{1,128}$/,
  "a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
);

const TABLE_ENCRYPTION_ALLOWED =
  '"aws-owned" (no charge), "aws-managed" (the aws/dynamodb key, KMS charges) or { "kmsKeyArn": <KMS key ARN> } ' +
  "(a customer managed key)";

/**
 * The key DynamoDB encrypts a table with: AWS owned, AWS managed, or a customer managed KMS key. An object with a bad
 * kmsKeyArn is reported at `.kmsKeyArn` by the key ARN's own message.
 */
export const tableEncryption = v.union(
  [v.picklist(["aws-owned", "aws-managed"]), field.strictObject({ kmsKeyArn })],
  (issue) => `must be ${TABLE_ENCRYPTION_ALLOWED}, ${field.got(issue.input)}`,
);
