import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { assumedCredentials } from "../../functions/shared/assumed-credentials";
import type { WriterClients } from "../../functions/writer/writer-clients";

/**
 * The guides' pattern, the baseline of the AssumeRole benchmark: every invocation assumes the role again and builds
 * new clients from the static credentials it got back.
 */
export async function clientsAssumedNow(
  roleArn: string,
  region: string,
  endpoint: string,
  callerCredentials: AwsCredentialIdentity,
): Promise<WriterClients> {
  const sts = new STSClient({ region, endpoint, credentials: callerCredentials });
  const { Credentials: assumed } = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "per-invocation" }),
  );
  const { accessKeyId, secretAccessKey, sessionToken } = assumedCredentials(roleArn, assumed);
  const credentials = { accessKeyId, secretAccessKey, sessionToken };
  return {
    dynamodb: new DynamoDBClient({ region, endpoint, credentials }),
    s3: new S3Client({ region, endpoint, credentials, forcePathStyle: true }),
  };
}
