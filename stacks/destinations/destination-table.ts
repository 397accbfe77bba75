import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
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
   * The table's partition and sort key attributes (strings).
   * @default - the guides' records: partition key `timestamp`, sort key `uuid`
   */
  readonly key?: { readonly partition: string; readonly sort: string };
}

/** A records table (by default the guides' `timestamp` + `uuid`), on-demand, with PITR, encryption and deletion protection. */
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
      // AWS-owned key by default; a customer-managed KMS key (CKV_AWS_119) is not configurable yet, see README.
      serverSideEncryption: { enabled: true },
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
