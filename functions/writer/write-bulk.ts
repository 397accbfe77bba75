import { createHash } from "node:crypto";
import { BatchWriteItemCommand, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, type S3ServiceException } from "@aws-sdk/client-s3";
import { marshall } from "@aws-sdk/util-dynamodb";
import { type DestinationSettings, RECORDS_PER_BATCH_OBJECT } from "./environment";
import type { WriterRecord } from "./event";
import { objectKey, putObjectIfAbsent } from "./record-object";
import { describeFailure } from "./write-failure";
import type { WriterClients } from "./writer-clients";

/** DynamoDB takes at most 25 puts per BatchWriteItem call. */
export const ITEMS_PER_BATCH_WRITE = 25;
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

async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}

/** How one conditional PutObject ended: new, already there (a replay), or failed with a reason. */
type PutOutcome = "written" | "alreadyPresent" | { readonly failure: string };

/** Waits for a PutObject sent with `If-None-Match: *`; a 412 after an SDK retry met that put's own earlier success. */
async function outcomeOf(put: Promise<unknown>): Promise<PutOutcome> {
  try {
    await put;
    return "written";
  } catch (error) {
    const metadata = (error as S3ServiceException).$metadata;
    if (metadata?.httpStatusCode !== 412) return { failure: describeFailure(error) };
    return (metadata.attempts ?? 1) > 1 ? "written" : "alreadyPresent";
  }
}

/**
 * The key of the object holding these records per batch: named by their identities (timestamp and uuid, in order),
 * as a record's own object is named by its uuid, so sending the same records again finds the same object.
 */
export function batchObjectKey(destination: DestinationSettings, records: readonly WriterRecord[]): string {
  const identities = records.map((record) => `${record.timestamp} ${record.uuid}\n`).join("");
  return `${destination.bucketPrefix}/batches/${createHash("sha256").update(identities).digest("hex")}.jsonl`;
}

/**
 * Writes many records: items with BatchWriteItem (25 per call, UnprocessedItems retried with backoff), then the
 * objects, each only if absent: one per record, or one JSON Lines object per {@link RECORDS_PER_BATCH_OBJECT}
 * records when the destination's `bulkObjects` is `per-batch`. Failed records are listed in the event's order.
 *
 * BatchWriteItem has no conditions, so the object decides what was new: a replayed event puts its items again
 * with the same content (no duplicate, no change) and counts them as `alreadyPresent`. A failure between the two
 * steps leaves items without objects, which sending the records again (same timestamps and uuids) completes. Unlike
 * a single-record event, a bulk event does not detect a key that already holds other data: the item is replaced.
 *
 * `per-batch` groups the event's records in their order, whatever failed, so the same records sent again make the
 * same batches and keys. A batch with a record whose item failed is not put (its other records are reported failed
 * as well, their items written), so sending the records again completes it rather than archiving a partial batch.
 */
export async function writeBulk(
  clients: WriterClients,
  destination: DestinationSettings,
  records: readonly WriterRecord[],
  options: BulkOptions = {},
): Promise<BulkWriteResult> {
  const via = `in account ${destination.accountId} as ${destination.roleArn}`;
  const failures = new Map<string, string>();
  const backoff = options.backoffMs ?? unprocessedBackoffMs;

  await forEachConcurrently(chunks(records, ITEMS_PER_BATCH_WRITE), options.batchConcurrency ?? 8, async (batch) => {
    let pending: WriteRequest[] = batch.map((record) => ({
      PutRequest: { Item: marshall(record, { removeUndefinedValues: true }) },
    }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > UNPROCESSED_MAX_ATTEMPTS) {
        for (const request of pending) {
          failures.set(
            request.PutRequest?.Item?.uuid?.S ?? "",
            `item left unprocessed by table ${destination.tableName} ${via} after ${UNPROCESSED_MAX_ATTEMPTS} BatchWriteItem attempts (throttled)`,
          );
        }
        return;
      }
      if (attempt > 1) await sleep(backoff(attempt - 1));
      try {
        const result = await clients.dynamodb.send(
          new BatchWriteItemCommand({ RequestItems: { [destination.tableName]: pending } }),
        );
        pending = result.UnprocessedItems?.[destination.tableName] ?? [];
      } catch (error) {
        for (const record of batch)
          failures.set(
            record.uuid,
            `could not put items into table ${destination.tableName} ${via}: ${describeFailure(error)}`,
          );
        return;
      }
    }
  });

  const counts = { written: 0, alreadyPresent: 0 };
  const objectConcurrency = options.objectConcurrency ?? 32;
  let batchObjects: string[] | undefined;
  if (destination.bulkObjects === "per-batch") {
    const objects = chunks(records, RECORDS_PER_BATCH_OBJECT).map((batch) => {
      const key = batchObjectKey(destination, batch);
      return { batch, key, uri: `s3://${destination.bucketName}/${key}` };
    });
    const putUris = new Set<string>();
    await forEachConcurrently(objects, objectConcurrency, async ({ batch, key, uri }) => {
      const itemsFailed = batch.filter((record) => failures.has(record.uuid)).length;
      if (itemsFailed > 0) {
        for (const record of batch.filter((record) => !failures.has(record.uuid))) {
          failures.set(
            record.uuid,
            `item written, but batch object ${uri} was not put: ${itemsFailed} of its ${batch.length} records failed; sending the records again (same timestamps and uuids) completes it`,
          );
        }
        return;
      }
      const outcome = await outcomeOf(
        clients.s3.send(
          new PutObjectCommand({
            Bucket: destination.bucketName,
            Key: key,
            Body: batch.map((record) => `${JSON.stringify(record)}\n`).join(""),
            ContentType: "application/x-ndjson",
            IfNoneMatch: "*",
          }),
        ),
      );
      if (typeof outcome === "object") {
        for (const record of batch)
          failures.set(record.uuid, `item written, but could not put batch object ${uri} ${via}: ${outcome.failure}`);
        return;
      }
      counts[outcome] += batch.length;
      putUris.add(uri);
    });
    batchObjects = objects.map(({ uri }) => uri).filter((uri) => putUris.has(uri));
  } else {
    await forEachConcurrently(
      records.filter((record) => !failures.has(record.uuid)),
      objectConcurrency,
      async (record) => {
        const outcome = await outcomeOf(putObjectIfAbsent(clients, destination, record));
        if (typeof outcome === "object") {
          failures.set(
            record.uuid,
            `item written, but could not put object s3://${destination.bucketName}/${objectKey(destination, record.uuid)} ${via}: ${outcome.failure}`,
          );
        } else {
          counts[outcome] += 1;
        }
      },
    );
  }

  return {
    table: destination.tableName,
    bucketUri: `s3://${destination.bucketName}/${destination.bucketPrefix}/`,
    ...counts,
    failed: records.flatMap(({ timestamp, uuid }) => {
      const reason = failures.get(uuid);
      return reason === undefined ? [] : [{ timestamp, uuid, reason }];
    }),
    ...(batchObjects ? { batchObjects } : {}),
  };
}
