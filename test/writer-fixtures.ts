import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import type { DestinationSettings } from "../functions/writer/environment";

/** The example destination, as the writer's core sees it. */
export const DESTINATION: DestinationSettings = {
  name: "destination",
  accountId: "222222222222",
  region: "us-east-1",
  roleArn: "arn:aws:iam::222222222222:role/assume-role-via-111111111111",
  tableName: "wd-ddb-table",
  bucketName: "wd-records-222222222222-us-east-1",
  bucketPrefix: "records",
};

/** SDK clients whose calls are answered by aws-sdk-client-mock, reset before each test of the file. */
export function mockedClients() {
  const dynamodb = mockClient(DynamoDBClient);
  const s3 = mockClient(S3Client);
  beforeEach(() => {
    dynamodb.reset();
    s3.reset();
  });
  return {
    dynamodb,
    s3,
    clients: { dynamodb: new DynamoDBClient({ region: "us-east-1" }), s3: new S3Client({ region: "us-east-1" }) },
  };
}
