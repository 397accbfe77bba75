import { isDeepStrictEqual } from "node:util";
import { ConditionalCheckFailedException, type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, type S3Client, type S3ServiceException } from "@aws-sdk/client-s3";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { type OrganizationWriterSettings, PARTITION_KEY, recordObjectKey, SORT_KEY } from "./environment";
import { type OrganizationRecord, parseRecord } from "./record";

/** The central account's clients, both with the central role's credentials. */
export interface CentralClients {
  readonly dynamodb: Pick<DynamoDBClient, "send">;
  readonly s3: Pick<S3Client, "send">;
}

/** What one write did. */
export interface OrganizationWriteResult {
  readonly account: string;
  readonly id: string;
  readonly objectUri: string;
  /** The item and the object were both there already with this data: a replay, nothing changed. */
  readonly alreadyWritten: boolean;
}

/** A write AWS refused or that would overwrite other data; the message names the account, role and resource. */
export class OrganizationWriteError extends Error {
  constructor(
    message: string,
    readonly cause: unknown,
  ) {
    super(message);
    this.name = "OrganizationWriteError";
  }
}

const describe = (error: unknown) =>
  error instanceof Error
    ? `${error.name}${(error as S3ServiceException).$metadata?.httpStatusCode ? ` (HTTP ${(error as S3ServiceException).$metadata.httpStatusCode})` : ""}: ${error.message}`
    : String(error);

/**
 * Writes one record under `account`'s partition: the item (`account`, `id`) and the object
 * `<prefix>/<account>/<id>.json`, each only if absent, so a replay neither duplicates nor overwrites. The record is
 * checked first: a bad one throws BadRecordError and nothing is written.
 */
export async function writeOrganizationRecord(
  clients: CentralClients,
  settings: OrganizationWriterSettings,
  account: string,
  input: unknown,
): Promise<OrganizationWriteResult> {
  const record: OrganizationRecord = parseRecord(input);
  const item = { [PARTITION_KEY]: account, [SORT_KEY]: record.id, timestamp: record.timestamp, data: record.data };
  const key = recordObjectKey(settings, account, record.id);
  const objectUri = `s3://${settings.bucketName}/${key}`;
  const via = `for account ${account} as ${settings.centralRoleArn}`;
  let itemWritten = true;
  try {
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: settings.tableName,
        Item: marshall(item, { removeUndefinedValues: true }),
        ConditionExpression: "attribute_not_exists(#id)",
        ExpressionAttributeNames: { "#id": SORT_KEY },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException))
      throw new OrganizationWriteError(
        `could not put item ${record.id} into table ${settings.tableName} ${via}: ${describe(error)}`,
        error,
      );
    if (error.Item && !isDeepStrictEqual(unmarshall(error.Item), item))
      throw new OrganizationWriteError(
        `item ${record.id} in table ${settings.tableName} ${via} already holds other data; it was left as it was`,
        error,
      );
    itemWritten = false;
  }
  let objectWritten = true;
  try {
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: settings.bucketName,
        Key: key,
        Body: JSON.stringify(item),
        ContentType: "application/json",
        IfNoneMatch: "*",
      }),
    );
  } catch (error) {
    if ((error as S3ServiceException).$metadata?.httpStatusCode !== 412)
      throw new OrganizationWriteError(`could not put object ${objectUri} ${via}: ${describe(error)}`, error);
    objectWritten = false;
  }
  return { account, id: record.id, objectUri, alreadyWritten: !itemWritten && !objectWritten };
}
