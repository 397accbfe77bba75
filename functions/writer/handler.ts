import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { destinationRoleCredentials } from "./credentials";
import { InvalidEventError, parseWriterEvent } from "./event";
import { CONNECTION_TIMEOUT_MS, DATA_MAX_ATTEMPTS, REQUEST_TIMEOUT_MS } from "./retry";
import { readWriterSettings } from "./settings";
import { Destination, writeRecord } from "./write-record";
import { writeRecords } from "./write-records";

export interface WriterResponse {
  /** 201 written, 200 already there (or a bulk event fully done), 207 a bulk event with failed records, 400 bad event. */
  readonly statusCode: 200 | 201 | 207 | 400;
  /** JSON: the WriteResult or BulkWriteResult, or `{ error, problems }` for a bad event. */
  readonly body: string;
}

// Created once per execution environment: credentials are cached and refreshed across invocations.
const settings = readWriterSettings(process.env);
const credentials = destinationRoleCredentials(settings);
const clientConfig = {
  region: settings.destinationRegion,
  credentials,
  maxAttempts: DATA_MAX_ATTEMPTS,
  requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS },
};
const clients = { dynamodb: new DynamoDBClient(clientConfig), s3: new S3Client(clientConfig) };
const destination: Destination = {
  accountId: settings.destinationAccountId,
  roleArn: settings.destinationRoleArn,
  tableName: settings.tableName,
  bucketName: settings.bucketName,
  bucketPrefix: settings.bucketPrefix,
};

/**
 * Writes the event's record (or records) into the destination account's table and bucket. A bad event is answered
 * with 400 and writes nothing; an AWS failure of a single record throws, naming account, role and resource, so Lambda
 * reports it as failed; a bulk event reports each failed record with its reason (207).
 */
export async function handler(event: unknown): Promise<WriterResponse> {
  let request;
  try {
    request = parseWriterEvent(event, { now: () => new Date(), randomUuid: randomUUID });
  } catch (error) {
    if (error instanceof InvalidEventError) {
      return { statusCode: 400, body: JSON.stringify({ error: error.message, problems: error.problems }) };
    }
    throw error;
  }
  if (request.bulk) {
    const result = await writeRecords(clients, destination, request.records);
    return { statusCode: result.failed.length > 0 ? 207 : 200, body: JSON.stringify(result) };
  }
  const result = await writeRecord(clients, destination, request.records[0]);
  return { statusCode: result.alreadyWritten ? 200 : 201, body: JSON.stringify(result) };
}
