import { callerPrefix, type VendAccess } from "../../functions/vend/environment";
import { sessionPolicy } from "../../functions/vend/session-policy";
import {
  ADMINISTRATOR_ACCESS,
  ASSUME_ANY_ROLE,
  assumeTarget,
  bucketTarget,
  type Caller,
  principal,
  resourceTarget,
  roleSession,
  type Target,
} from "../../scripts/access-map/evaluate";
import { inventoryOf } from "../../scripts/access-map/inventory";
import { synthesizedInstances } from "../../scripts/access-map/terraform-values";
import { type PolicyDocument, policyDocument } from "../../stacks/policy-document";
import { VENDING_REAL_ACCOUNTS } from "../vending-fixtures";
import { allowed, denied, matrix, request, THIRD_ACCOUNT_ID } from "./matrix";
import { resolveStack } from "./resolve-stack";

// Vended sessions are evaluated as IAM does: the vending role's own policy and the session policy the function
// sends (functions/vend/session-policy.ts) must both allow; @cloud-copilot/iam-simulate evaluates session policies.
const stack = resolveStack(VENDING_REAL_ACCOUNTS);
const { source, names } = stack.config;
const [destination] = stack.config.destinations;
const table = stack.table();
const bucket = stack.bucket();
const writer = (context = {}) => roleSession(stack.role(names.writerRole), names.writerFunction, context);
const vendingRole = stack.role("assume-role-via-123456789012-vending");
const vendRole = stack.role("cross-account-vend");
const [readerConfig, ingestConfig] = VENDING_REAL_ACCOUNTS.vending?.callers ?? [];
const settings = {
  accountId: destination.accountId,
  region: destination.region,
  roleArn: vendingRole.arn,
  tableName: table.name,
  tableArn: table.arn,
  bucketName: bucket.name,
  bucketPrefix: "records",
};

/** A session of the vending role as the function opens it for a caller: SourceIdentity, tags, session policy. */
function vended(
  caller: { arn: string; prefix?: string; destinations: readonly string[]; access: VendAccess },
  access: VendAccess,
  policy?: PolicyDocument,
): () => Caller {
  const name = `${caller.arn.split("/").at(-1)}@${source.accountId}`;
  const document = policy ?? sessionPolicy({ access, destination: settings, prefix: callerPrefix(caller) });
  return () => ({
    ...roleSession(vendingRole, name, {
      "aws:SourceIdentity": name,
      "aws:PrincipalTag/caller": caller.arn,
    }),
    sessionPolicy: document,
  });
}
const reader = vended(readerConfig, "read");
const ingest = vended(ingestConfig, "write");
const object = (key: string) => () => bucketTarget(bucket, key);
const onTable = () => resourceTarget(table, table.arn);
const listing = (prefix: string) => ({ "s3:prefix": prefix });

/**
 * The function's resource policy as the access map reads it from the synthesized stack: the aws_lambda_permission
 * statements (InvokeFunctionUrl) and the CloudFormation stack's AWS::Lambda::Permission ones (InvokeFunction with
 * `Bool lambda:InvokedViaFunctionUrl`).
 */
const functionArn = `arn:aws:lambda:${source.region}:${source.accountId}:function:cross-account-vend`;
const inventory = inventoryOf(synthesizedInstances(stack.synth.json));
const functionPolicy = inventory.resources.find((resource) => resource.arn === functionArn)?.resourcePolicy;
const functionUrl = (): Target => ({ arn: functionArn, accountId: source.accountId, resourcePolicy: functionPolicy });
const invokeUrl = request("lambda:InvokeFunctionUrl", functionUrl);
const viaIamAuth = { context: { "lambda:FunctionUrlAuthType": "AWS_IAM" } };
const assumeVending = request("sts:AssumeRole", () => assumeTarget(vendingRole));
const vendFunction = (context = {}) => roleSession(vendRole, "cross-account-vend", context);
const tagVending = request("sts:TagSession", () => assumeTarget(vendingRole));
const withSourceIdentity = { context: { "sts:SourceIdentity": "reporting@123456789012" } };

describe("IAM matrix: a vended session can do exactly its caller's access and folder", () => {
  matrix([
    allowed("the reader's session may GetItem on the table", reader, "dynamodb:GetItem", onTable),
    allowed("the reader's session may Query the table", reader, "dynamodb:Query", onTable),
    denied("the reader's session may not PutItem on the table", reader, "dynamodb:PutItem", onTable),
    allowed(
      "the reader's session may GetObject in its folder",
      reader,
      "s3:GetObject",
      object("records/reporting/a.json"),
    ),
    denied(
      "the reader's session may not GetObject in another caller's folder",
      reader,
      "s3:GetObject",
      object("records/ingest/in/a.json"),
    ),
    denied(
      "the reader's session may not PutObject even in its folder",
      reader,
      "s3:PutObject",
      object("records/reporting/a.json"),
    ),
    allowed("the reader's session may ListBucket its folder", reader, "s3:ListBucket", () => bucketTarget(bucket), {
      context: listing("records/reporting/x"),
    }),
    denied(
      "the reader's session may not ListBucket the whole prefix",
      reader,
      "s3:ListBucket",
      () => bucketTarget(bucket),
      {
        context: listing("records/x"),
      },
    ),
    allowed(
      "the ingest session may PutObject in its own prefix",
      ingest,
      "s3:PutObject",
      object("records/ingest/in/b.json"),
    ),
    allowed("the ingest session may PutItem on the table", ingest, "dynamodb:PutItem", onTable),
    denied(
      "the ingest session may not PutObject in the reader's folder",
      ingest,
      "s3:PutObject",
      object("records/reporting/b.json"),
    ),
    denied(
      "the ingest session may not GetObject in its own folder (write only)",
      ingest,
      "s3:GetObject",
      object("records/ingest/in/b.json"),
    ),
    denied("the ingest session may not GetItem (write only)", ingest, "dynamodb:GetItem", onTable),
  ]);
});

describe("IAM matrix: a vended session never gets more than the vending role", () => {
  const greedy = policyDocument(
    { Effect: "Allow", Action: "s3:*", Resource: ["arn:aws:s3:::*", "arn:aws:s3:::*/*"] },
    { Effect: "Allow", Action: "dynamodb:*", Resource: "*" },
  );
  const everything = vended(readerConfig, "read-write", greedy);
  const outsidePrefix = vended(
    readerConfig,
    "read-write",
    sessionPolicy({ access: "read-write", destination: { ...settings, bucketPrefix: "other" }, prefix: "reporting" }),
  );
  matrix([
    denied(
      "a session policy allowing s3:* still may not DeleteObject",
      everything,
      "s3:DeleteObject",
      object("records/reporting/a.json"),
    ),
    denied("a session policy allowing dynamodb:* still may not DeleteItem", everything, "dynamodb:DeleteItem", onTable),
    denied(
      "a session policy for a folder outside the bucket prefix may not PutObject there",
      outsidePrefix,
      "s3:PutObject",
      object("other/reporting/a.json"),
    ),
  ]);
});

describe("IAM matrix: only the named callers may invoke the function URL", () => {
  const pipeline = () => principal(`arn:aws:iam::${source.accountId}:role/deploy-pipeline`, [ASSUME_ANY_ROLE]);
  const readerSession = () =>
    roleSession({ ...vendRole, arn: readerConfig.arn, name: "reporting", identityPolicies: [] }, "nightly");
  matrix([
    invokeUrl.allowed("the reader role (named) may invoke the URL", () => principal(readerConfig.arn, []), viaIamAuth),
    invokeUrl.allowed("a session of the reader role may invoke the URL", readerSession, viaIamAuth),
    invokeUrl.allowed("the ingest user (named) may invoke the URL", () => principal(ingestConfig.arn, []), viaIamAuth),
    invokeUrl.denied("a role of the source account not named may not invoke the URL", pipeline, viaIamAuth),
    invokeUrl.denied(
      "an administrator of a third account may not invoke the URL",
      () => principal(`arn:aws:iam::${THIRD_ACCOUNT_ID}:role/admin`, [ADMINISTRATOR_ACCESS]),
      viaIamAuth,
    ),
    invokeUrl.denied(
      "the named reader may not invoke it through another auth type",
      () => principal(readerConfig.arn, []),
      {
        context: { "lambda:FunctionUrlAuthType": "NONE" },
      },
    ),
  ]);
});

describe("IAM matrix: the vending role is assumed only by the vend function, only with a SourceIdentity [aws-rule sts-source-identity-trust] [aws-rule sts-tag-session-trust]", () => {
  matrix([
    assumeVending.allowed(
      "the vend function's role may assume it with a SourceIdentity",
      () => vendFunction(),
      withSourceIdentity,
    ),
    assumeVending.denied("the vend function's role may not assume it without a SourceIdentity", () => vendFunction()),
    request("sts:SetSourceIdentity", () => assumeTarget(vendingRole)).allowed(
      "the vend function's role may set the SourceIdentity",
      () => vendFunction(),
      withSourceIdentity,
    ),
    tagVending.allowed("the vend function's role may tag the session with caller and purpose", () => vendFunction(), {
      context: { "aws:TagKeys": ["caller", "purpose"], "aws:RequestTag/caller": readerConfig.arn },
    }),
    tagVending.denied("the vend function's role may not tag a session without a caller tag", () => vendFunction(), {
      context: { "aws:TagKeys": ["purpose"] },
    }),
    tagVending.denied("the vend function's role may not set other tags", () => vendFunction(), {
      context: { "aws:TagKeys": ["caller", "team"], "aws:RequestTag/caller": readerConfig.arn },
    }),
    assumeVending.denied(
      "the writer's role may not assume it, even with a SourceIdentity",
      () => writer(),
      withSourceIdentity,
    ),
    assumeVending.denied(
      "the inventory's role (allowed sts:AssumeRole on any role) may not assume it, even with a SourceIdentity",
      () => principal(`arn:aws:iam::${source.accountId}:role/cross-account-inventory`, [ASSUME_ANY_ROLE]),
      withSourceIdentity,
    ),
    assumeVending.denied(
      "a named caller may not assume it directly",
      () => principal(readerConfig.arn, [ASSUME_ANY_ROLE]),
      withSourceIdentity,
    ),
  ]);
});
