import { DeleteItemCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DeleteObjectCommand, GetObjectCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DestinationOutput } from "../terraform/cdktf-project";
import type { VerifyContext } from "./context";
import { destinationOutputs, OUTPUT_NAMES, stringOutput } from "./deployment";
import { attempt, type CheckResult, type Emit, emitted, failed, messageOf, ok } from "./outcome";

/** What marks a verify probe: its `data.probe`, and its uuid's first group (all zeros). */
export const PROBE_MARK = "npm run verify";
const PROBE_UUID_PREFIX = "00000000-0000-4000-8";

/** A probe record: a uuid that starts with zeros (recognizable among real records) and `data.probe`. */
export function probeRecord(now: Date, random: () => string = () => crypto.randomUUID()) {
  const uuid = `${PROBE_UUID_PREFIX}${random().slice(20)}`;
  return { timestamp: now.toISOString(), uuid, data: { probe: PROBE_MARK } };
}

/**
 * The writer, per destination: the deployed function writes a probe record; the record is read back from the table
 * and the bucket with the destination's deploy credentials, then removed (the item, and every version of the object:
 * the bucket is versioned).
 */
export async function checkWriter(context: VerifyContext, emit?: Emit): Promise<CheckResult[]> {
  const functionName = stringOutput(context.deployment, OUTPUT_NAMES.writerFunction, "writer");
  const prefix = stringOutput(context.deployment, OUTPUT_NAMES.bucketPrefix, "writer");
  const results: CheckResult[] = [];
  for (const [name, destination] of Object.entries(destinationOutputs(context.deployment))) {
    results.push(...(await probeDestination(context, functionName, prefix, name, destination, emit)));
  }
  return results;
}

async function probeDestination(
  context: VerifyContext,
  functionName: string,
  prefix: string,
  name: string,
  destination: DestinationOutput,
  emit?: Emit,
): Promise<CheckResult[]> {
  const record = probeRecord(context.now());
  const key = `${prefix}/${record.uuid}.json`;
  const where = `table ${destination.table_name} and s3://${destination.bucket_name}/${key} in ${destination.account_id}`;
  const account = context.config.destinations.find((candidate) => candidate.name === name) ?? {
    accountId: destination.account_id,
    region: destination.region,
  };
  const settings = context.clientSettings(destination.region, context.deployCredentials(account));
  const dynamodb = new DynamoDBClient(settings);
  const s3 = new S3Client(settings);
  const itemKey = { timestamp: { S: record.timestamp }, uuid: { S: record.uuid } };

  const written = await attempt(`${name}: the writer writes a probe`, async () => {
    const answer = (await context.invoker.invoke(functionName, { ...record, destination: name })) as {
      statusCode?: number;
      body?: string;
    };
    return answer?.statusCode === 201
      ? ok(`${name}: the writer writes a probe`, `${functionName} answered 201 for uuid ${record.uuid}`)
      : failed(
          `${name}: the writer writes a probe`,
          `${functionName} answered ${JSON.stringify(answer).slice(0, 300)}`,
        );
  });
  const results = [emitted(emit, written)];
  if (written.status === "ok") {
    results.push(
      emitted(
        emit,
        await attempt(`${name}: the probe is in the table`, async () => {
          const { Item: item } = await dynamodb.send(
            new GetItemCommand({ TableName: destination.table_name, Key: itemKey, ConsistentRead: true }),
          );
          if (!item)
            return failed(
              `${name}: the probe is in the table`,
              `no item ${record.timestamp} / ${record.uuid} in table ${destination.table_name} of ${destination.account_id}`,
            );
          const data = unmarshall(item).data as { probe?: string } | undefined;
          return data?.probe === PROBE_MARK
            ? ok(`${name}: the probe is in the table`, `${destination.table_name}: item ${record.uuid} read back`)
            : failed(
                `${name}: the probe is in the table`,
                `item ${record.uuid} of ${destination.table_name} holds ${JSON.stringify(data)}, not the probe's data`,
              );
        }),
      ),
    );
    const bucketCheck = `${name}: the probe is in the bucket`;
    results.push(emitted(emit, await attempt(bucketCheck, () => readObject(s3, destination, key, record.uuid, name))));
  }
  results.push(emitted(emit, await removeProbe(name, dynamodb, s3, destination, itemKey, key, where)));
  return results;
}

async function readObject(
  s3: S3Client,
  destination: DestinationOutput,
  key: string,
  uuid: string,
  name: string,
): Promise<CheckResult> {
  const check = `${name}: the probe is in the bucket`;
  const location = `s3://${destination.bucket_name}/${key}`;
  let text: string | undefined;
  try {
    text = await (
      await s3.send(new GetObjectCommand({ Bucket: destination.bucket_name, Key: key }))
    ).Body?.transformToString();
  } catch (error) {
    if ((error as Error).name === "NoSuchKey")
      return failed(check, `no object ${location} in ${destination.account_id}`);
    throw error;
  }
  const body = JSON.parse(text ?? "{}") as { uuid?: string };
  return body.uuid === uuid
    ? ok(check, `${location} read back`)
    : failed(check, `${location} holds uuid ${body.uuid}, not ${uuid}`);
}

/** Deletes the probe's item and every version (and delete marker) of its object, then checks nothing is left. */
export async function removeProbe(
  name: string,
  dynamodb: DynamoDBClient,
  s3: S3Client,
  destination: Pick<DestinationOutput, "table_name" | "bucket_name">,
  itemKey: Record<string, { S: string }>,
  key: string,
  where: string,
): Promise<CheckResult> {
  const check = `${name}: the probe is removed`;
  try {
    await dynamodb.send(new DeleteItemCommand({ TableName: destination.table_name, Key: itemKey }));
    const versions = await objectVersions(s3, destination.bucket_name, key);
    for (const versionId of versions)
      await s3.send(new DeleteObjectCommand({ Bucket: destination.bucket_name, Key: key, VersionId: versionId }));
    const left = await objectVersions(s3, destination.bucket_name, key);
    const { Item: item } = await dynamodb.send(
      new GetItemCommand({ TableName: destination.table_name, Key: itemKey, ConsistentRead: true }),
    );
    if (item || left.length > 0)
      return failed(
        check,
        `left behind in ${where}: ${item ? "the item" : ""}${item && left.length ? " and " : ""}${left.length ? `${left.length} object versions` : ""}`,
      );
    return ok(check, `deleted the item and ${versions.length} object version(s); nothing left`);
  } catch (error) {
    return failed(check, `could not remove the probe from ${where}: ${messageOf(error)}`);
  }
}

/** The version ids (and delete markers) of exactly one key. */
async function objectVersions(s3: S3Client, bucket: string, key: string): Promise<string[]> {
  const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
    .filter((version) => version.Key === key && version.VersionId)
    .map((version) => version.VersionId as string);
}
