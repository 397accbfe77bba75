import { BatchWriteItemCommand, WriteRequest } from "@aws-sdk/client-dynamodb";
import { S3ServiceException } from "@aws-sdk/client-s3";
import { marshall } from "@aws-sdk/util-dynamodb";
import { WriterRecord } from "./event";
import { Destination, WriterClients, describeFailure, objectKey, putObjectIfAbsent } from "./write-record";

/** DynamoDB takes at most 25 puts per BatchWriteItem call. */
export const BATCH_SIZE = 25;
/** Tries per batch while DynamoDB hands back UnprocessedItems, with full-jitter backoff of 50 ms doubling to 2 s. */
export const UNPROCESSED_MAX_ATTEMPTS = 8;
export const unprocessedBackoffMs = (attempt: number) => Math.random() * Math.min(2000, 50 * 2 ** attempt);

export interface BulkOptions {
  /** BatchWriteItem calls in flight. @default 8 */
  readonly batchConcurrency?: number;
  /** PutObject calls in flight. @default 32 */
  readonly objectConcurrency?: number;
  /** Waits between UnprocessedItems retries. @default {@link unprocessedBackoffMs} */
  readonly backoffMs?: (attempt: number) => number;
}

export interface FailedRecord {
  readonly timestamp: string;
  readonly uuid: string;
  readonly reason: string;
}

export interface BulkWriteResult {
  readonly table: string;
  readonly bucketUri: string;
  /** Records whose object was new: written now. */
  readonly written: number;
  /** Records whose object was already there: a replay; their items were put again unchanged. */
  readonly alreadyPresent: number;
  readonly failed: readonly FailedRecord[];
}

async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes many records: items with BatchWriteItem (25 per call, UnprocessedItems retried with backoff), then each
 * record's object only if absent.
 *
 * BatchWriteItem has no conditions, so the object decides what was new: a replayed event puts its items again
 * with the same content (no duplicate, no change) and counts them as `alreadyPresent`. A failure between the two
 * steps leaves items without objects, which a replay completes. Unlike a single-record event, a bulk event does not
 * detect a key that already holds other data: the item is replaced.
 */
export async function writeRecords(clients: WriterClients, destination: Destination, records: readonly WriterRecord[], options: BulkOptions = {}): Promise<BulkWriteResult> {
  const via = `in account ${destination.accountId} as ${destination.roleArn}`;
  const failures = new Map<string, FailedRecord>();
  const fail = (record: WriterRecord, reason: string) => failures.set(record.uuid, { timestamp: record.timestamp, uuid: record.uuid, reason });
  const byUuid = new Map(records.map((record) => [record.uuid, record]));
  const backoff = options.backoffMs ?? unprocessedBackoffMs;

  const batches: WriterRecord[][] = [];
  for (let start = 0; start < records.length; start += BATCH_SIZE) batches.push(records.slice(start, start + BATCH_SIZE));
  await forEachConcurrently(batches, options.batchConcurrency ?? 8, async (batch) => {
    let pending: WriteRequest[] = batch.map((record) => ({ PutRequest: { Item: marshall(record, { removeUndefinedValues: true }) } }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > UNPROCESSED_MAX_ATTEMPTS) {
        for (const request of pending) {
          fail(byUuid.get(request.PutRequest?.Item?.uuid?.S ?? "")!, `item left unprocessed by table ${destination.tableName} ${via} after ${UNPROCESSED_MAX_ATTEMPTS} BatchWriteItem attempts (throttled)`);
        }
        return;
      }
      if (attempt > 1) await sleep(backoff(attempt - 1));
      try {
        const result = await clients.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [destination.tableName]: pending } }));
        pending = result.UnprocessedItems?.[destination.tableName] ?? [];
      } catch (error) {
        for (const record of batch) fail(record, `could not put items into table ${destination.tableName} ${via}: ${describeFailure(error)}`);
        return;
      }
    }
  });

  let written = 0;
  let alreadyPresent = 0;
  const itemsWritten = records.filter((record) => !failures.has(record.uuid));
  await forEachConcurrently(itemsWritten, options.objectConcurrency ?? 32, async (record) => {
    try {
      await putObjectIfAbsent(clients, destination, record);
      written += 1;
    } catch (error) {
      const metadata = (error as S3ServiceException).$metadata;
      if (metadata?.httpStatusCode !== 412) {
        fail(record, `item written, but could not put object s3://${destination.bucketName}/${objectKey(destination, record.uuid)} ${via}: ${describeFailure(error)}`);
      } else if ((metadata.attempts ?? 1) > 1) {
        written += 1; // the SDK's retry met its own earlier success
      } else {
        alreadyPresent += 1;
      }
    }
  });

  return {
    table: destination.tableName,
    bucketUri: `s3://${destination.bucketName}/${destination.bucketPrefix}/`,
    written,
    alreadyPresent,
    failed: [...failures.values()],
  };
}
