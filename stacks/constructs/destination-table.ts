import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";

export interface DestinationTableProps {
  /** Provider of the destination account. */
  readonly provider: AwsProvider;
  readonly tableName: string;
  /**
   * Let `destroy` delete the table and its items.
   * @default false - deletion protection is on and destroy fails while the table exists
   */
  readonly allowDataDeletion?: boolean;
}

/** The records table of the guides (`timestamp` + `uuid`), on-demand, with PITR, encryption and deletion protection. */
export class DestinationTable extends Construct {
  public readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: DestinationTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      provider: props.provider,
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "timestamp",
      rangeKey: "uuid",
      attribute: [
        { name: "timestamp", type: "S" },
        { name: "uuid", type: "S" },
      ],
      pointInTimeRecovery: { enabled: true },
      // AWS-owned key by default; a customer-managed KMS key (CKV_AWS_119) is not configurable yet, see README.
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: !(props.allowDataDeletion ?? false),
    });
  }
}
