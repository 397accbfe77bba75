import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { TableEncryption } from "../config";
import type { PolicyStatement } from "../policy-document";

/** What a role that writes records may do with the table: put items, one or 25 at a time. */
export const TABLE_WRITE_ACTIONS = ["dynamodb:PutItem", "dynamodb:BatchWriteItem"] as const;
/** What a role that reads records may do with the table: get items by key, and query a partition. */
export const TABLE_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] as const;

export interface DestinationTableProps {
  /** Provider of the destination account. */
  readonly provider: AwsProvider;
  readonly tableName: string;
  /**
   * Let `destroy` delete the table and its items.
   * @default false - deletion protection is on and destroy fails while the table exists
   */
  readonly allowDataDeletion?: boolean;
  /**
   * The key DynamoDB encrypts the table with.
   * @default "aws-owned" - a key DynamoDB owns, no KMS charges
   */
  readonly encryption?: TableEncryption;
  /**
   * The table's partition and sort key attributes (strings).
   * @default - the guides' records: partition key `timestamp`, sort key `uuid`
   */
  readonly key?: { readonly partition: string; readonly sort: string };
}

/**
 * The provider's `server_side_encryption` for a key: `enabled = false` is the AWS owned key, `enabled = true` without
 * `kms_key_arn` the AWS managed key aws/dynamodb (KMS charges), with it that customer managed key. The block is always
 * written: the argument is optional and computed, so leaving it out would keep whatever key the table has.
 */
export function serverSideEncryption(encryption: TableEncryption): { enabled: boolean; kmsKeyArn?: string } {
  if (encryption === "aws-owned") return { enabled: false };
  if (encryption === "aws-managed") return { enabled: true };
  return { enabled: true, kmsKeyArn: encryption.kmsKeyArn };
}

/** A records table (by default the guides' `timestamp` + `uuid`), on-demand, with PITR, its chosen key and deletion protection. */
export class DestinationTable extends Construct {
  public readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: DestinationTableProps) {
    super(scope, id);
    const key = props.key ?? { partition: "timestamp", sort: "uuid" };
    this.table = new DynamodbTable(this, "table", {
      provider: props.provider,
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: key.partition,
      rangeKey: key.sort,
      attribute: [
        { name: key.partition, type: "S" },
        { name: key.sort, type: "S" },
      ],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: serverSideEncryption(props.encryption ?? "aws-owned"),
      deletionProtectionEnabled: !(props.allowDataDeletion ?? false),
    });
  }

  /** Grants putting items into this table, as a statement for the identity policy of a role of its account. */
  writeStatements(): PolicyStatement[] {
    return [{ Sid: "PutItemsIntoTable", Effect: "Allow", Action: [...TABLE_WRITE_ACTIONS], Resource: this.table.arn }];
  }

  /** Grants reading this table's items back (no scans, no deletes). */
  readStatements(): PolicyStatement[] {
    return [{ Sid: "ReadItemsFromTable", Effect: "Allow", Action: [...TABLE_READ_ACTIONS], Resource: this.table.arn }];
  }
}
