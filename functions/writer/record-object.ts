import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { DestinationSettings } from "./environment";
import type { WriterRecord } from "./event";
import type { WriterClients } from "./writer-clients";

/** The key of a record's own JSON object: named by its uuid, so a replay finds the same object. */
export function objectKey(destination: DestinationSettings, uuid: string): string {
  return `${destination.bucketPrefix}/${uuid}.json`;
}

/** Puts a record's JSON object only if there is none under its key (S3 answers 412 otherwise). */
export function putObjectIfAbsent(clients: WriterClients, destination: DestinationSettings, record: WriterRecord) {
  return clients.s3.send(
    new PutObjectCommand({
      Bucket: destination.bucketName,
      Key: objectKey(destination, record.uuid),
      Body: JSON.stringify(record),
      ContentType: "application/json",
      IfNoneMatch: "*",
    }),
  );
}
