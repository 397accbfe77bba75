import {
  assumeTarget,
  bucketTarget,
  type Caller,
  resourceTarget,
  roleItself,
  type Target,
} from "../../scripts/access-map/evaluate";
import { policyDocument } from "../../stacks/policy-document";
import { REAL_ACCOUNTS } from "../synth";
import { actors, allowed, type Case, type CaseOptions, denied, explicitlyDenied, matrix, OBJECT_NAME } from "./matrix";
import { resolveStack } from "./resolve-stack";

describe("IAM matrix: what the destination role may do in its own account", () => {
  const { destination, destinationRole, destinationSession, writerRole, table, bucket, names } = actors(
    resolveStack({ ...REAL_ACCOUNTS }),
  );
  const key = (prefix: string) => `${prefix}/${OBJECT_NAME}`;
  const inPrefix = key(names.bucketPrefix);
  const { region, accountId, table: tableName } = destination;
  const otherTable = `arn:aws:dynamodb:${region}:${accountId}:table/${tableName}-archive`;
  const otherRegion = region === "us-east-1" ? "us-west-2" : "us-east-1";
  const sameTableOtherRegion = `arn:aws:dynamodb:${otherRegion}:${accountId}:table/${tableName}`;
  const otherBucket = { ...bucket, name: "wd-other-bucket", arn: "arn:aws:s3:::wd-other-bucket", policy: undefined };
  const organizationAccessRole = {
    arn: `arn:aws:iam::${destination.accountId}:role/OrganizationAccountAccessRole`,
    accountId: destination.accountId,
    trustPolicy: policyDocument({
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${destination.accountId}:root` },
      Action: "sts:AssumeRole",
    }),
  };
  const escalatedRole = `arn:aws:iam::${destination.accountId}:role/escalate`;

  const principals: ReadonlyArray<[string, () => Caller]> = [
    ["the destination role", () => roleItself(destinationRole)],
    ["the destination role's assumed-role session", destinationSession],
  ];
  for (const [who, caller] of principals) {
    describe(who, () => {
      // Every case of this group is evaluated in the destination account unless it says otherwise.
      const may = (what: string, action: string, target: () => Target, options?: CaseOptions): Case =>
        allowed(`${who} may ${what}`, caller, action, target, { sameAccount: true, ...options });
      const mayNot = (what: string, action: string, target: () => Target, options?: CaseOptions): Case =>
        denied(`${who} may not ${what}`, caller, action, target, { sameAccount: true, ...options });
      const onTable = () => resourceTarget(table, table.arn);
      const onObject = (objectKey: string) => () => bucketTarget(bucket, objectKey);
      const batchObject = `${names.bucketPrefix}/batches/${"0f".repeat(32)}.jsonl`;
      const withoutTls = { "aws:SecureTransport": "false" };

      matrix([
        may("dynamodb:PutItem on its table", "dynamodb:PutItem", onTable),
        may("dynamodb:BatchWriteItem on its table (bulk events)", "dynamodb:BatchWriteItem", onTable),
        may(
          `s3:PutObject under ${names.bucketPrefix}/ over TLS (the bucket policy has no Allow; same account needs none)`,
          "s3:PutObject",
          onObject(inPrefix),
        ),
        may(
          `s3:PutObject a per-batch bulk object under ${names.bucketPrefix}/batches/`,
          "s3:PutObject",
          onObject(batchObject),
        ),
        ...["GetItem", "BatchGetItem", "Query", "Scan", "DeleteItem", "UpdateItem"].map((action) =>
          mayNot(`dynamodb:${action} on its table`, `dynamodb:${action}`, onTable),
        ),
        mayNot("dynamodb:PutItem on another table of the account", "dynamodb:PutItem", () =>
          resourceTarget(table, otherTable),
        ),
        mayNot("dynamodb:PutItem on a table of the same name in another region", "dynamodb:PutItem", () =>
          resourceTarget(table, sameTableOtherRegion),
        ),
        mayNot("s3:PutObject under another prefix", "s3:PutObject", onObject(key("other"))),
        mayNot(
          `s3:PutObject under a sibling prefix (${names.bucketPrefix}-evil/)`,
          "s3:PutObject",
          onObject(key(`${names.bucketPrefix}-evil`)),
        ),
        mayNot("s3:PutObject at the bucket's top level", "s3:PutObject", onObject("0b6f3c1e.json")),
        mayNot("s3:PutObject into another bucket of the account, same key", "s3:PutObject", () =>
          bucketTarget(otherBucket, inPrefix),
        ),
        mayNot("s3:GetObject under the prefix", "s3:GetObject", onObject(inPrefix)),
        mayNot("s3:DeleteObject under the prefix", "s3:DeleteObject", onObject(inPrefix)),
        mayNot("s3:PutBucketPolicy on the bucket", "s3:PutBucketPolicy", () => bucketTarget(bucket)),
        mayNot("iam:CreateRole", "iam:CreateRole", () => resourceTarget(destinationRole, escalatedRole)),
        mayNot("iam:PassRole of itself", "iam:PassRole", () => resourceTarget(destinationRole, destinationRole.arn)),
        mayNot("sts:AssumeRole of a role of its account that trusts the whole account", "sts:AssumeRole", () =>
          assumeTarget(organizationAccessRole),
        ),
        mayNot(
          "sts:AssumeRole back into the writer's execution role",
          "sts:AssumeRole",
          () => assumeTarget(writerRole),
          { sameAccount: false },
        ),
        explicitlyDenied(
          `${who} may not s3:PutObject under ${names.bucketPrefix}/ without TLS (aws:SecureTransport=false): the bucket policy denies (S3.5)`,
          caller,
          "s3:PutObject",
          onObject(inPrefix),
          { context: withoutTls, sameAccount: true, resourcePolicyResult: "ExplicitlyDenied" },
        ),
      ]);
    });
  }
});
