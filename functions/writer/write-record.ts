import { isDeepStrictEqual } from "node:util";
import { ConditionalCheckFailedException, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { S3ServiceException } from "@aws-sdk/client-s3";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { DestinationSettings } from "./environment";
import type { WriterRecord } from "./event";
import { objectKey, putObjectIfAbsent } from "./record-object";
import { DestinationWriteError, describeFailure } from "./write-failure";
import type { WriterClients } from "./writer-clients";

/** What a single-record write did in one destination. */
export interface WriteResult {
  readonly timestamp: string;
  readonly uuid: string;
  readonly table: string;
  readonly objectUri: string;
  /** True when both the item and the object were already there: this was a replay, nothing was changed. */
  readonly alreadyWritten: boolean;
  readonly itemWritten: boolean;
  readonly objectWritten: boolean;
}

const attemptsOf = (error: unknown) => (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;

/**
 * Writes one record as a DynamoDB item and as a JSON object, each only if absent, item first.
 *
 * Both writes are conditional on the record's identity, so the pair can be retried until both exist and a replay
 * never duplicates or overwrites:
 * - a retry after the item was written but the object was not finds the item present and writes the object;
 * - a replay of a complete record changes nothing and reports `alreadyWritten`;
 * - an item with the same key but other data is reported as a conflict and left as it was;
 * - an object that exists while the item was new (and the SDK had not retried the put, which could have met its
 *   own earlier success) means the uuid was used before with another timestamp: a conflict, not overwritten.
 */
export async function writeRecord(
  clients: WriterClients,
  destination: DestinationSettings,
  record: WriterRecord,
): Promise<WriteResult> {
  const key = objectKey(destination, record.uuid);
  const objectUri = `s3://${destination.bucketName}/${key}`;
  const via = `in account ${destination.accountId} as ${destination.roleArn}`;

  let itemWritten = true;
  try {
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: destination.tableName,
        Item: marshall(record, { removeUndefinedValues: true }),
        ConditionExpression: "attribute_not_exists(#uuid)",
        ExpressionAttributeNames: { "#uuid": "uuid" },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) {
      throw new DestinationWriteError(
        `could not put item (${record.timestamp}, ${record.uuid}) into table ${destination.tableName} ${via}: ${describeFailure(error)}`,
        error,
      );
    }
    const existing = error.Item ? unmarshall(error.Item) : undefined;
    if (existing && !isDeepStrictEqual(existing, { ...record })) {
      throw new DestinationWriteError(
        `item (${record.timestamp}, ${record.uuid}) in table ${destination.tableName} ${via} already holds other data; it was left as it was`,
        error,
      );
    }
    itemWritten = false;
  }

  let objectWritten = true;
  try {
    await putObjectIfAbsent(clients, destination, record);
  } catch (error) {
    const status = (error as S3ServiceException).$metadata?.httpStatusCode;
    if (status !== 412) {
      throw new DestinationWriteError(`could not put object ${objectUri} ${via}: ${describeFailure(error)}`, error);
    }
    if (itemWritten && attemptsOf(error) === 1) {
      throw new DestinationWriteError(
        `uuid ${record.uuid} was already written with another timestamp (${objectUri} exists); the item (${record.timestamp}, ${record.uuid}) was put into table ${destination.tableName} ${via}, the object was left as it was`,
        error,
      );
    }
    objectWritten = false;
  }

  return {
    timestamp: record.timestamp,
    uuid: record.uuid,
    table: destination.tableName,
    objectUri,
    alreadyWritten: !itemWritten && !objectWritten,
    itemWritten,
    objectWritten,
  };
}
