import { runSimulation } from "@cloud-copilot/iam-simulate";
import { parsePrincipalArn, type VendAccess } from "../functions/vend/environment";
import {
  destinationTableArn,
  MAX_SESSION_POLICY_CHARS,
  maxSessionTagChars,
  type PolicyDocument,
  serializeSessionPolicy,
  sessionPolicy,
} from "../functions/vend/session-policy";
import { assumeRoleParams } from "../functions/vend/vend";
import { VEND_SETTINGS } from "./vend-fixtures";

const [analytics, archive] = VEND_SETTINGS.destinations;
const TABLE = "arn:aws:dynamodb:us-east-1:222222222222:table/wd-ddb-table";
const BUCKET = "arn:aws:s3:::wd-records-a";

describe("sessionPolicy", () => {
  test("read: get, batch get and query the table; get and list the caller's folder only", () => {
    expect(sessionPolicy({ access: "read", destination: analytics, prefix: "reporting" })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadTable",
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
          Resource: TABLE,
        },
        { Sid: "ReadObjects", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${BUCKET}/records/reporting/*` },
        {
          Sid: "ListObjects",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: BUCKET,
          Condition: { StringLike: { "s3:prefix": "records/reporting/*" } },
        },
      ],
    });
  });

  test("write: put and batch write items, put objects in the caller's folder", () => {
    expect(sessionPolicy({ access: "write", destination: analytics, prefix: "ingest/v2" }).Statement).toEqual([
      { Sid: "WriteTable", Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:BatchWriteItem"], Resource: TABLE },
      { Sid: "WriteObjects", Effect: "Allow", Action: ["s3:PutObject"], Resource: `${BUCKET}/records/ingest/v2/*` },
    ]);
  });

  test("read-write: both, nothing more", () => {
    const both = sessionPolicy({ access: "read-write", destination: analytics, prefix: "p" }).Statement.map(
      (statement) => statement.Sid,
    );
    expect(both).toEqual(["ReadTable", "ReadObjects", "ListObjects", "WriteTable", "WriteObjects"]);
  });

  test("no wildcard action, no wildcard resource", () => {
    for (const statement of sessionPolicy({ access: "read-write", destination: archive, prefix: "p" }).Statement) {
      expect(statement.Action.every((action) => !action.includes("*"))).toBe(true);
      expect(statement.Resource).not.toBe("*");
    }
  });

  test("the table ARN is the destination's own, else built in its role's partition", () => {
    expect(destinationTableArn(archive)).toBe(archive.tableArn);
    expect(destinationTableArn(analytics)).toBe(TABLE);
    const china = { ...analytics, region: "cn-north-1", roleArn: "arn:aws-cn:iam::222222222222:role/vending" };
    expect(destinationTableArn(china)).toBe("arn:aws-cn:dynamodb:cn-north-1:222222222222:table/wd-ddb-table");
    expect(sessionPolicy({ access: "read", destination: china, prefix: "p" }).Statement[1].Resource).toBe(
      "arn:aws-cn:s3:::wd-records-a/records/p/*",
    );
  });

  test("serialized, it fits AssumeRole's 2048 characters with the longest names settings allow", () => {
    const longest = {
      ...analytics,
      tableName: "t".repeat(255),
      bucketName: "b".repeat(63),
      bucketPrefix: "r".repeat(100),
    };
    const json = serializeSessionPolicy(
      sessionPolicy({ access: "read-write", destination: longest, prefix: "p".repeat(100) }),
    );
    expect(json.length).toBeLessThanOrEqual(MAX_SESSION_POLICY_CHARS);
    expect(JSON.parse(json)).toEqual(
      sessionPolicy({ access: "read-write", destination: longest, prefix: "p".repeat(100) }),
    );
  });

  test("fails when the document is longer than AssumeRole accepts", () => {
    const huge = { ...analytics, bucketPrefix: "r".repeat(600) };
    expect(() =>
      serializeSessionPolicy(sessionPolicy({ access: "read-write", destination: huge, prefix: "p" })),
    ).toThrow(/^the session policy is \d+ characters, more than the 2048 AssumeRole accepts/);
  });
});

describe("maxSessionTagChars: the most plain text a caller's session tags hold [aws-rule sts-packed-policy-size]", () => {
  const tagChars = (tags: readonly { Key: string; Value: string }[]) =>
    tags.reduce((sum, tag) => sum + tag.Key.length + tag.Value.length, 0);
  const [reporting, , alice] = VEND_SETTINGS.callers;
  const principal = (arn: string) => {
    const parsed = parsePrincipalArn(arn);
    if (!parsed) throw new Error(`not a user or role ARN: ${arn}`);
    return parsed;
  };
  const longest = { destination: "analytics", access: "read" as const, purpose: "p".repeat(64), durationSeconds: 900 };

  test.each([
    [
      "a role caller with the longest session name",
      reporting,
      `${reporting.arn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/${"s".repeat(64)}`,
    ],
    ["a user caller with a long path", alice, `arn:aws:iam::111111111111:user/${"team/".repeat(50)}alice`],
  ])("covers the tags the function sends for %s", (_what, caller, userArn) => {
    const { Tags } = assumeRoleParams(VEND_SETTINGS, caller, userArn, longest);
    const bound = maxSessionTagChars(principal(caller.arn));
    expect(tagChars(Tags)).toBeLessThanOrEqual(bound);
  });

  test("a role's bound is its session ARN with the longest session name; a user's the tag value limit", () => {
    expect(maxSessionTagChars(principal(VEND_SETTINGS.callers[0].arn))).toBe(
      "caller".length + "arn:aws:sts::111111111111:assumed-role/reporting/".length + 64 + "purpose".length + 64,
    );
    expect(maxSessionTagChars(principal(VEND_SETTINGS.callers[2].arn))).toBe(6 + 256 + 7 + 64);
  });
});

// The vending role may do everything any caller may; the session policy narrows each session to one caller's access.
const VENDING_ROLE_POLICY: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Table",
      Effect: "Allow",
      Action: [
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:BatchWriteItem",
      ],
      Resource: TABLE,
    },
    { Sid: "Objects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `${BUCKET}/records/*` },
    {
      Sid: "List",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: BUCKET,
      Condition: { StringLike: { "s3:prefix": "records/*" } },
    },
  ],
};

async function decide(
  access: VendAccess,
  action: string,
  resource: string,
  context: Record<string, string> = {},
): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: "arn:aws:sts::222222222222:assumed-role/vending/reporting@111111111111",
        action,
        resource: { resource, accountId: "222222222222" },
        contextVariables: { "aws:SecureTransport": "true", ...context },
      },
      sessionPolicy: sessionPolicy({ access, destination: analytics, prefix: "reporting" }),
      identityPolicies: [{ name: "vending", policy: VENDING_ROLE_POLICY }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType !== "single") throw new Error(`unexpected result ${JSON.stringify(result)}`);
  return result.overallResult;
}

describe("a vended session, evaluated by IAM (iam-simulate)", () => {
  test.each<[VendAccess, string, string, Record<string, string>, string]>([
    ["read", "dynamodb:GetItem", TABLE, {}, "Allowed"],
    ["read", "dynamodb:Query", TABLE, {}, "Allowed"],
    ["read", "dynamodb:PutItem", TABLE, {}, "ImplicitlyDenied"],
    ["read", "s3:GetObject", `${BUCKET}/records/reporting/2024/a.json`, {}, "Allowed"],
    ["read", "s3:GetObject", `${BUCKET}/records/ingest/a.json`, {}, "ImplicitlyDenied"],
    ["read", "s3:PutObject", `${BUCKET}/records/reporting/a.json`, {}, "ImplicitlyDenied"],
    ["read", "s3:ListBucket", BUCKET, { "s3:prefix": "records/reporting/" }, "Allowed"],
    ["read", "s3:ListBucket", BUCKET, { "s3:prefix": "records/" }, "ImplicitlyDenied"],
    ["read", "s3:ListBucket", BUCKET, { "s3:prefix": "records/ingest/" }, "ImplicitlyDenied"],
    ["write", "dynamodb:PutItem", TABLE, {}, "Allowed"],
    ["write", "dynamodb:BatchWriteItem", TABLE, {}, "Allowed"],
    ["write", "dynamodb:GetItem", TABLE, {}, "ImplicitlyDenied"],
    ["write", "dynamodb:DeleteItem", TABLE, {}, "ImplicitlyDenied"],
    ["write", "s3:PutObject", `${BUCKET}/records/reporting/a.json`, {}, "Allowed"],
    ["write", "s3:PutObject", `${BUCKET}/records/a.json`, {}, "ImplicitlyDenied"],
    ["write", "s3:GetObject", `${BUCKET}/records/reporting/a.json`, {}, "ImplicitlyDenied"],
    ["read-write", "s3:GetObject", `${BUCKET}/records/reporting/a.json`, {}, "Allowed"],
    ["read-write", "s3:PutObject", `${BUCKET}/records/reporting/a.json`, {}, "Allowed"],
    ["read-write", "s3:DeleteObject", `${BUCKET}/records/reporting/a.json`, {}, "ImplicitlyDenied"],
  ])("%s: %s on %s %j is %s", async (access, action, resource, context, expected) => {
    expect(await decide(access, action, resource, context)).toBe(expected);
  });
});
