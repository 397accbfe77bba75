import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { destinationRoleCredentials } from "./credentials";
import { readWriterSettings } from "./environment";
import { InvalidEventError, parseWriterEvent, type WriterRequest } from "./event";
import { CONNECTION_TIMEOUT_MS, DATA_MAX_ATTEMPTS, REQUEST_TIMEOUT_MS } from "./retry";
import { type WriterResponse, writeToDestinations } from "./write-to-destinations";
import type { DestinationWithClients } from "./writer-clients";

export type { WriterResponse } from "./write-to-destinations";

// Created once per execution environment: each destination's credentials are cached and refreshed across
// invocations, and its clients are reused.
const settings = readWriterSettings(process.env);
const destinations = new Map<string, DestinationWithClients>(
  settings.destinations.map((destination) => {
    const clientConfig = {
      region: destination.region,
      credentials: destinationRoleCredentials(destination, settings),
      maxAttempts: DATA_MAX_ATTEMPTS,
      requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS },
    };
    return [
      destination.name,
      {
        settings: destination,
        clients: { dynamodb: new DynamoDBClient(clientConfig), s3: new S3Client(clientConfig) },
      },
    ];
  }),
);
const destinationNames = [...destinations.keys()];

/**
 * Writes the event's record (or records) into the table and bucket of the destination it names, or of all of them.
 * A bad event is answered with 400 and writes nothing; an AWS failure of a single record throws, naming destination,
 * account, role and resource, so Lambda reports it as failed; a bulk event reports each failed record (207).
 */
export async function handler(event: unknown): Promise<WriterResponse> {
  let request: WriterRequest;
  try {
    request = parseWriterEvent(event, {
      now: () => new Date(),
      randomUuid: randomUUID,
      destinations: destinationNames,
    });
  } catch (error) {
    if (error instanceof InvalidEventError) {
      return { statusCode: 400, body: JSON.stringify({ error: error.message, problems: error.problems }) };
    }
    throw error;
  }
  return writeToDestinations(destinations, request);
}
