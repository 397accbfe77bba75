import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import type { DestinationSettings } from "./environment";

/** The SDK clients one destination is written through, carrying credentials of its role. */
export interface WriterClients {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
}

/** One destination, ready to write to: its settings and the clients that act as its role. */
export interface DestinationWithClients {
  readonly settings: DestinationSettings;
  readonly clients: WriterClients;
}
