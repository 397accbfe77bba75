import { assumeTarget, bucketTarget, resourceTarget, servicePrincipal } from "../../scripts/access-map/evaluate";
import { policyDocument } from "../../stacks/policy-document";
import { REAL_ACCOUNTS } from "../synth";
import { actors, allowed, denied, matrix, OBJECT_NAME, request, THIRD_ACCOUNT_ID } from "./matrix";
import { resolveStack } from "./resolve-stack";

const { source, destination, writer, writerRole, table, bucket, logGroup, names, otherSourceRole } = actors(
  resolveStack({ ...REAL_ACCOUNTS }),
);

describe("IAM matrix: what the writer's execution role may do", () => {
  // Worst cases for the writer's own policy: roles whose trust policies would let the writer's account in.
  const organizationAccessRole = {
    arn: `arn:aws:iam::${destination.accountId}:role/OrganizationAccountAccessRole`,
    accountId: destination.accountId,
    trustPolicy: policyDocument({
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${source.accountId}:root` },
      Action: "sts:AssumeRole",
    }),
  };
  const sourceAdminRole = {
    arn: `arn:aws:iam::${source.accountId}:role/admin`,
    accountId: source.accountId,
    trustPolicy: policyDocument({
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${source.accountId}:root` },
      Action: "sts:AssumeRole",
    }),
  };
  const key = `${names.bucketPrefix}/${OBJECT_NAME}`;
  const ownLogStream = `${logGroup.arn}:log-stream:2024/05/01/[$LATEST]0123456789abcdef`;
  const otherLogGroup = `arn:aws:logs:${source.region}:${source.accountId}:log-group:/aws/lambda/other-function`;
  const otherLogStream = `${otherLogGroup}:log-stream:x`;

  matrix([
    denied(
      "the writer may not assume OrganizationAccountAccessRole in the destination, even were it to trust the whole source account",
      writer,
      "sts:AssumeRole",
      () => assumeTarget(organizationAccessRole),
    ),
    denied(
      "the writer may not assume another role of its own account that trusts the whole account",
      writer,
      "sts:AssumeRole",
      () => assumeTarget(sourceAdminRole),
      { sameAccount: true },
    ),
    denied(
      "the writer may not dynamodb:PutItem on the destination table directly, without assuming the destination role",
      writer,
      "dynamodb:PutItem",
      () => resourceTarget(table, table.arn),
      { sameAccount: false },
    ),
    denied(
      "the writer may not s3:PutObject under the destination prefix directly, without assuming the destination role",
      writer,
      "s3:PutObject",
      () => bucketTarget(bucket, key),
      { sameAccount: false },
    ),
    allowed(
      "the writer may logs:PutLogEvents into a stream of its own log group",
      writer,
      "logs:PutLogEvents",
      () => resourceTarget(logGroup, ownLogStream),
      { sameAccount: true },
    ),
    denied("the writer may not logs:PutLogEvents into another function's log group", writer, "logs:PutLogEvents", () =>
      resourceTarget(logGroup, otherLogStream),
    ),
  ]);
});

describe("IAM matrix: who may assume the writer's execution role [aws-rule lambda-execution-role-source-account]", () => {
  const assumeWriterRole = request("sts:AssumeRole", () => assumeTarget(writerRole));
  const lambdaFor = (accountId: string) => () =>
    servicePrincipal("lambda.amazonaws.com", { "aws:SourceAccount": accountId });

  matrix([
    assumeWriterRole.allowed(
      "lambda.amazonaws.com on behalf of the source account (aws:SourceAccount) assumes the writer's execution role",
      lambdaFor(source.accountId),
    ),
    assumeWriterRole.denied(
      `lambda.amazonaws.com on behalf of another account (aws:SourceAccount ${THIRD_ACCOUNT_ID}) may not assume it`,
      lambdaFor(THIRD_ACCOUNT_ID),
    ),
    assumeWriterRole.denied("lambda.amazonaws.com without aws:SourceAccount may not assume it", () =>
      servicePrincipal("lambda.amazonaws.com"),
    ),
    assumeWriterRole.denied("ec2.amazonaws.com on behalf of the source account may not assume it", () =>
      servicePrincipal("ec2.amazonaws.com", { "aws:SourceAccount": source.accountId }),
    ),
    assumeWriterRole.denied(
      "another role of the source account allowed sts:AssumeRole on * may not assume it",
      otherSourceRole,
      { sameAccount: true },
    ),
  ]);
});
