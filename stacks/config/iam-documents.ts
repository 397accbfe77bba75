// The IAM policies the stack makes, as IAM will hold them once deployed (every ARN filled in): what the size rules
// measure (iam-policy-sizes.ts). They mirror the documents the constructs write; test/iam-policy-sizes.test.ts
// proves them equal to a synthesized stack's, entity by entity.
import { type PolicyDocument, type PolicyStatement, policyDocument } from "../policy-document";
import type { ConfigFile } from "./schema";
import type { DestinationConfig } from "./types";

/** What a role or group that the stack makes holds, with where the config says so. */
export interface IamEntity {
  readonly kind: "role" | "group";
  readonly name: string;
  /** The account it lives in, or the accounts a StackSet fans it out to. */
  readonly account: string;
  /** The config field it comes from, e.g. `destinations.0 ("analytics")`. */
  readonly origin: string;
  /** Roles only. */
  readonly trustPolicy?: PolicyDocument;
  readonly inlinePolicies: readonly PolicyDocument[];
  /** What makes its trust policy or its inline policies shorter, for the message of the rule it breaks. */
  readonly shortenTrust?: string;
  readonly shortenInline?: string;
}

/** What a role may do with a destination's (or a report's) records. */
export type RecordsAccess = "write" | "read" | "read-write";

export const roleArn = (accountId: string, name: string) => `arn:aws:iam::${accountId}:role/${name}`;
export const tableArn = (region: string, accountId: string, table: string) =>
  `arn:aws:dynamodb:${region}:${accountId}:table/${table}`;
export const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;

/** The trust of every Lambda execution role: Lambda of its own account only (stacks/lambda/execution-role.ts). */
export function lambdaTrust(accountId: string): PolicyDocument {
  return policyDocument({
    Sid: "LambdaOfThisAccountOnly",
    Effect: "Allow",
    Principal: { Service: "lambda.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  });
}

/** An execution role's own policy: its log group's streams, and X-Ray with tracing (stacks/lambda/execution-role.ts). */
export function logsPolicy(region: string, accountId: string, functionName: string, tracing: boolean): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: "WriteOwnLogStreams",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `arn:aws:logs:${region}:${accountId}:log-group:/aws/lambda/${functionName}:log-stream:*`,
    },
  ];
  if (tracing)
    statements.push({
      Sid: "SendTraces",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      Resource: "*",
    });
  return policyDocument(...statements);
}

/** What `access` allows on a table (by ARN) and under a bucket prefix (stacks/destinations/stores.ts, its stores). */
function accessStatements(table: string, bucket: string, access: RecordsAccess, prefix: string) {
  const objects = `${bucketArn(bucket)}/${prefix}/*`;
  const writes: PolicyStatement[] = [
    {
      Sid: "PutItemsIntoTable",
      Effect: "Allow",
      Action: ["dynamodb:PutItem", "dynamodb:BatchWriteItem"],
      Resource: table,
    },
    { Sid: "PutObjectsUnderPrefix", Effect: "Allow", Action: ["s3:PutObject"], Resource: objects },
  ];
  const reads: PolicyStatement[] = [
    {
      Sid: "ReadItemsFromTable",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
      Resource: table,
    },
    { Sid: "ReadObjectsUnderPrefix", Effect: "Allow", Action: ["s3:GetObject"], Resource: objects },
    {
      Sid: "ListObjectsUnderPrefix",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: bucketArn(bucket),
      Condition: { StringLike: { "s3:prefix": [`${prefix}/*`] } },
    },
  ];
  return [...(access === "read" ? [] : writes), ...(access === "write" ? [] : reads)];
}

/** A destination role's (or vending role's) own policy: what `access` allows on its table and bucket prefix. */
export function recordsPolicy(destination: DestinationConfig, access: RecordsAccess, prefix: string): PolicyDocument {
  const { region, accountId, table, bucket } = destination;
  return policyDocument(...accessStatements(tableArn(region, accountId, table), bucket, access, prefix));
}

/** Where a destination is in the file: `destinations.<index> ("<name>")`, or the singular `destination`. */
export const destinationOrigin = (file: ConfigFile, index: number, destination: DestinationConfig) =>
  file.destinations ? `destinations.${index} ("${destination.name}")` : "destination";

/** What makes a destination's records policy shorter. */
export const RECORDS_POLICY_HINT = "shorten names.bucketPrefix or the table name";

/** An IAM statement id from words: letters and digits only, e.g. "InstanceRoleBatchEc2" from "batch-ec2". */
export function statementId(...words: string[]): string {
  return words
    .flatMap((word) => word.split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");
}
