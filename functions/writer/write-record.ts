import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { isDeepStrictEqual } from "node:util";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { WriterRecord } from "./event";
import type { BulkObjectLayout } from "./environment";

/** Where records go and through which role; used for writes and to name them in errors. */
export interface Destination {
  /** The name events use for it. */
  readonly name: string;
  readonly accountId: string;
  readonly roleArn: string;
  readonly tableName: string;
  readonly bucketName: string;
  readonly bucketPrefix: string;
  /** How a bulk event's records become objects. @default "per-record" */
  readonly bulkObjects?: BulkObjectLayout;
}

export interface WriterClients {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
}

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

/** An AWS call failed; the message names the account, role and resource involved. */
export class DestinationWriteError extends Error {
  constructor(message: string, readonly cause: unknown) {
    super(message);
    this.name = "DestinationWriteError";
  }
}

export function objectKey(destination: Destination, uuid: string): string {
  return `${destination.bucketPrefix}/${uuid}.json`;
}

/** Puts a record's JSON object only if there is none under its key (S3 answers 412 otherwise). */
export function putObjectIfAbsent(clients: WriterClients, destination: Destination, record: WriterRecord) {
  return clients.s3.send(new PutObjectCommand({
    Bucket: destination.bucketName,
    Key: objectKey(destination, record.uuid),
    Body: JSON.stringify(record),
    ContentType: "application/json",
    IfNoneMatch: "*",
  }));
}

/** An AWS error as `Name (HTTP status): message`. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return `${error.name}${status ? ` (HTTP ${status})` : ""}: ${error.message}`;
  }
  return String(error);
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
export async function writeRecord(clients: WriterClients, destination: Destination, record: WriterRecord): Promise<WriteResult> {
  const key = objectKey(destination, record.uuid);
  const objectUri = `s3://${destination.bucketName}/${key}`;
  const via = `in account ${destination.accountId} as ${destination.roleArn}`;

  let itemWritten = true;
  try {
    await clients.dynamodb.send(new PutItemCommand({
      TableName: destination.tableName,
      Item: marshall(record, { removeUndefinedValues: true }),
      ConditionExpression: "attribute_not_exists(#uuid)",
      ExpressionAttributeNames: { "#uuid": "uuid" },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) {
      throw new DestinationWriteError(`could not put item (${record.timestamp}, ${record.uuid}) into table ${destination.tableName} ${via}: ${describeFailure(error)}`, error);
    }
    const existing = error.Item ? unmarshall(error.Item) : undefined;
    if (existing && !isDeepStrictEqual(existing, { ...record })) {
      throw new DestinationWriteError(`item (${record.timestamp}, ${record.uuid}) in table ${destination.tableName} ${via} already holds other data; it was left as it was`, error);
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
      throw new DestinationWriteError(`uuid ${record.uuid} was already written with another timestamp (${objectUri} exists); the item (${record.timestamp}, ${record.uuid}) was put into table ${destination.tableName} ${via}, the object was left as it was`, error);
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
