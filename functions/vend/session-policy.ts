import type { VendAccess, VendDestinationSettings } from "./destination-settings";
import type { IamPrincipal } from "./principal";

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

/**
 * Our bound on what AssumeRole packs: the plain text of the session policy plus every session tag's key and value.
 * STS compresses the policy and the tags together into a packed binary format with a limit of its own
 * (PackedPolicyTooLarge) whose formula AWS does not publish; holding policy and tags together within the 2,048
 * characters AWS documents for the policy alone is a conservative check chosen here, not an AWS figure.
 */
export const MAX_PACKED_PLAIN_TEXT_CHARS = MAX_SESSION_POLICY_CHARS;
/** STS's longest session tag value; the function cuts the caller's ARN there (vend.ts tagValue). */
export const MAX_SESSION_TAG_VALUE_CHARS = 256;
/** The longest `purpose` a request may carry (request.ts). */
export const MAX_PURPOSE_CHARS = 64;
/** The longest role session name STS allows: the tail of a role caller's session ARN. */
const MAX_ROLE_SESSION_NAME_CHARS = 64;

/**
 * The most plain text the session tags of one of this caller's sessions can hold: `caller` with the signed ARN
 * (for a role, its session ARN with the longest session name; for a user, the tag limit, as its path is not in the
 * config) and `purpose` with the longest allowed.
 */
export function maxSessionTagChars(caller: IamPrincipal): number {
  const sessionArn = `arn:${caller.partition}:sts::${caller.accountId}:assumed-role/${caller.name}/`;
  const callerValue =
    caller.kind === "role"
      ? Math.min(sessionArn.length + MAX_ROLE_SESSION_NAME_CHARS, MAX_SESSION_TAG_VALUE_CHARS)
      : MAX_SESSION_TAG_VALUE_CHARS;
  return "caller".length + callerValue + "purpose".length + MAX_PURPOSE_CHARS;
}
