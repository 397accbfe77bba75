import { createHash } from "node:crypto";
import { BatchWriteItemCommand, WriteRequest } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import { marshall } from "@aws-sdk/util-dynamodb";
import { WriterRecord } from "./event";
import { RECORDS_PER_BATCH_OBJECT } from "./settings";
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
  /** `per-batch` only: the batch objects that hold the records, new or already there. */
  readonly batchObjects?: readonly string[];
}

async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

/** How one conditional PutObject ended: new, already there (a replay), or failed with a reason. */
type PutOutcome = "written" | "alreadyPresent" | { readonly failure: string };

async function putIfAbsent(put: () => Promise<unknown>): Promise<PutOutcome> {
  try {
    await put();
    return "written";
  } catch (error) {
    const metadata = (error as S3ServiceException).$metadata;
    if (metadata?.httpStatusCode !== 412) return { failure: describeFailure(error) };
    return (metadata.attempts ?? 1) > 1 ? "written" : "alreadyPresent"; // after an SDK retry, 412 met its own success
  }
}

/** The key of a batch object: named by its content, so a replayed event puts the same object again. */
export function batchObjectKey(destination: Destination, body: string): string {
  return `${destination.bucketPrefix}/batches/${createHash("sha256").update(body).digest("hex")}.jsonl`;
}

/**
 * Writes many records: items with BatchWriteItem (25 per call, UnprocessedItems retried with backoff), then the
 * objects, each only if absent: one per record, or one JSON Lines object per {@link RECORDS_PER_BATCH_OBJECT}
 * records when the destination's `bulkObjects` is `per-batch`.
 *
 * BatchWriteItem has no conditions, so the object decides what was new: a replayed event puts its items again
 * with the same content (no duplicate, no change) and counts them as `alreadyPresent`. A failure between the two
 * steps leaves items without objects, which a replay completes. Unlike a single-record event, a bulk event does not
 * detect a key that already holds other data: the item is replaced.
 *
 * `per-batch` groups the event's records in their order, whatever failed, so a replay of the event makes the same
 * batches and keys. A batch with a record whose item failed is not put (its other records are reported failed as
 * well, their items written), so replaying the event completes it rather than archiving a second, partial batch.
 */
export async function writeRecords(clients: WriterClients, destination: Destination, records: readonly WriterRecord[], options: BulkOptions = {}): Promise<BulkWriteResult> {
  const via = `in account ${destination.accountId} as ${destination.roleArn}`;
  const failures = new Map<string, FailedRecord>();
  const fail = (record: WriterRecord, reason: string) => failures.set(record.uuid, { timestamp: record.timestamp, uuid: record.uuid, reason });
  const byUuid = new Map(records.map((record) => [record.uuid, record]));
  const backoff = options.backoffMs ?? unprocessedBackoffMs;

  await forEachConcurrently(chunks(records, BATCH_SIZE), options.batchConcurrency ?? 8, async (batch) => {
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

  const counts = { written: 0, alreadyPresent: 0 };
  const objectConcurrency = options.objectConcurrency ?? 32;
  let batchObjects: string[] | undefined;
  if (destination.bulkObjects === "per-batch") {
    const batches = chunks(records, RECORDS_PER_BATCH_OBJECT).map((batch) => {
      const body = batch.map((record) => `${JSON.stringify(record)}\n`).join("");
      const key = batchObjectKey(destination, body);
      return { batch, body, key, uri: `s3://${destination.bucketName}/${key}`, put: false };
    });
    await forEachConcurrently(batches, objectConcurrency, async (object) => {
      const { batch, uri } = object;
      const itemsFailed = batch.filter((record) => failures.has(record.uuid)).length;
      if (itemsFailed > 0) {
        for (const record of batch.filter((record) => !failures.has(record.uuid))) {
          fail(record, `item written, but batch object ${uri} was not put: ${itemsFailed} of its ${batch.length} records failed; replaying the event completes it`);
        }
        return;
      }
      const outcome = await putIfAbsent(() => clients.s3.send(new PutObjectCommand({
        Bucket: destination.bucketName, Key: object.key, Body: object.body, ContentType: "application/x-ndjson", IfNoneMatch: "*",
      })));
      if (typeof outcome === "object") {
        for (const record of batch) fail(record, `item written, but could not put batch object ${uri} ${via}: ${outcome.failure}`);
        return;
      }
      counts[outcome] += batch.length;
      object.put = true;
    });
    batchObjects = batches.filter((object) => object.put).map((object) => object.uri);
  } else {
    await forEachConcurrently(records.filter((record) => !failures.has(record.uuid)), objectConcurrency, async (record) => {
      const outcome = await putIfAbsent(() => putObjectIfAbsent(clients, destination, record));
      if (typeof outcome === "object") {
        fail(record, `item written, but could not put object s3://${destination.bucketName}/${objectKey(destination, record.uuid)} ${via}: ${outcome.failure}`);
      } else {
        counts[outcome] += 1;
      }
    });
  }

  return {
    table: destination.tableName,
    bucketUri: `s3://${destination.bucketName}/${destination.bucketPrefix}/`,
    ...counts,
    failed: [...failures.values()],
    ...(batchObjects ? { batchObjects } : {}),
  };
}
