import type { VendAccess, VendDestinationSettings } from "./destination-settings";

/** An IAM policy document as a typed object (the shape of stacks/policy-document, without coupling to it). */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: string;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** AssumeRole's limit on a session policy's plain text. */
export const MAX_SESSION_POLICY_CHARS = 2048;

export const TABLE_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] as const;
export const TABLE_WRITE_ACTIONS = ["dynamodb:PutItem", "dynamodb:BatchWriteItem"] as const;

export interface SessionPolicyProps {
  readonly access: VendAccess;
  readonly destination: Pick<
    VendDestinationSettings,
    "accountId" | "region" | "roleArn" | "tableName" | "tableArn" | "bucketName" | "bucketPrefix"
  >;
  /** The caller's folder under the destination's bucketPrefix (see `callerPrefix`). */
  readonly prefix: string;
}

/** The partition (`aws`, `aws-cn`, `aws-us-gov`) of an ARN. */
const partitionOf = (arn: string) => arn.split(":")[1] || "aws";

/** The destination's table ARN: its own `tableArn`, or built in the partition of its vending role. */
export function destinationTableArn(destination: SessionPolicyProps["destination"]): string {
  const { tableArn, roleArn, region, accountId, tableName } = destination;
  return tableArn ?? `arn:${partitionOf(roleArn)}:dynamodb:${region}:${accountId}:table/${tableName}`;
}

/**
 * The inline session policy of one vended session: the intersection of the vending role's own permissions and this
 * document is what the caller gets, so it names only the caller's access, the table and the caller's folder of the
 * bucket. The table cannot be narrowed further: its key (timestamp, uuid) says nothing about who wrote an item.
 */
export function sessionPolicy({ access, destination, prefix }: SessionPolicyProps): PolicyDocument {
  const table = destinationTableArn(destination);
  const s3 = `arn:${partitionOf(destination.roleArn)}:s3:::${destination.bucketName}`;
  const folder = `${destination.bucketPrefix}/${prefix}`;
  const read: PolicyStatement[] = [
    { Sid: "ReadTable", Effect: "Allow", Action: [...TABLE_READ_ACTIONS], Resource: table },
    { Sid: "ReadObjects", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${s3}/${folder}/*` },
    {
      Sid: "ListObjects",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: s3,
      Condition: { StringLike: { "s3:prefix": `${folder}/*` } },
    },
  ];
  const write: PolicyStatement[] = [
    { Sid: "WriteTable", Effect: "Allow", Action: [...TABLE_WRITE_ACTIONS], Resource: table },
    { Sid: "WriteObjects", Effect: "Allow", Action: ["s3:PutObject"], Resource: `${s3}/${folder}/*` },
  ];
  const statements = { read, write, "read-write": [...read, ...write] }[access];
  return { Version: "2012-10-17", Statement: statements };
}

/** The document as AssumeRole's `Policy`; throws when it is longer than STS accepts, naming its length. */
export function serializeSessionPolicy(document: PolicyDocument): string {
  const json = JSON.stringify(document);
  if (json.length > MAX_SESSION_POLICY_CHARS) {
    throw new Error(
      `the session policy is ${json.length} characters, more than the ${MAX_SESSION_POLICY_CHARS} AssumeRole ` +
        "accepts: shorten the bucket prefix, caller prefix or names",
    );
  }
  return json;
}
