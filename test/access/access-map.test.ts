import { type AccessMap, type AccessRow, ASSUME, DIRECTLY } from "../../scripts/access-map/access-map";
import { mapOfSynthesized } from "../../scripts/access-map/sources";
import { exampleWith, REAL_ACCOUNTS, synthesize, THREE_DESTINATIONS } from "../synth";

const WRITER = "arn:aws:iam::111111111111:role/cross-account-write-to-222222222222";
const DESTINATION = "arn:aws:iam::222222222222:role/assume-role-via-111111111111";
const TABLE = "arn:aws:dynamodb:us-east-1:222222222222:table/wd-ddb-table";
const OBJECTS = "arn:aws:s3:::wd-records-222222222222-us-east-1/records/*";
const LOG_STREAMS =
  "arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/cross-account-dynamodb-write:log-stream:*";
const PUT_ITEMS = ["dynamodb:PutItem", "dynamodb:BatchWriteItem"];
const LOGS = ["logs:CreateLogStream", "logs:PutLogEvents"];
const LAMBDA = "lambda.amazonaws.com";

const row = (principal: string, via: string, resource: string, actions: string[], conditions: string[] = []) => ({
  principal,
  via,
  resource,
  actions,
  conditions,
});
const tuples = (map: AccessMap) => map.rows.map((entry: AccessRow) => ({ ...entry }));

describe("access map of the default config", () => {
  let map: AccessMap;
  beforeAll(async () => {
    map = await mapOfSynthesized(synthesize().json);
  });

  test("lists exactly the writer's path: Lambda -> writer role -> destination role -> table and prefix", () => {
    expect(tuples(map)).toEqual([
      row(WRITER, DIRECTLY, DESTINATION, [ASSUME]),
      row(WRITER, DIRECTLY, LOG_STREAMS, LOGS),
      row(WRITER, DESTINATION, TABLE, PUT_ITEMS),
      row(WRITER, DESTINATION, OBJECTS, ["s3:PutObject"]),
      row(DESTINATION, DIRECTLY, TABLE, PUT_ITEMS),
      row(DESTINATION, DIRECTLY, OBJECTS, ["s3:PutObject"]),
      row(LAMBDA, DIRECTLY, WRITER, [ASSUME], ["source account 111111111111"]),
      row(LAMBDA, WRITER, LOG_STREAMS, LOGS, ["source account 111111111111"]),
    ]);
  });

  test("denied pairs have no row: the destination role assumes nothing, nobody reads, deletes or administers", () => {
    expect(map.rows.filter((entry) => entry.principal === DESTINATION && entry.actions.includes(ASSUME))).toEqual([]);
    expect(map.rows.filter((entry) => entry.resource === WRITER && entry.principal !== LAMBDA)).toEqual([]);
    const actions = map.rows.flatMap((entry) => entry.actions);
    for (const action of [
      "dynamodb:GetItem",
      "s3:GetObject",
      "dynamodb:DeleteItem",
      "s3:DeleteObject",
      "iam:CreateRole",
    ])
      expect(actions).not.toContain(action);
    expect(map.principals.map((principal) => principal.arn)).toEqual([WRITER, DESTINATION, LAMBDA]);
  });
});

describe("access map of three destinations in two regions and two accounts", () => {
  const writer = "arn:aws:iam::111111111111:role/cross-account-writer";
  const role = (account: string, name: string) => `arn:aws:iam::${account}:role/assume-role-via-111111111111-${name}`;
  const table = (account: string, region: string) => `arn:aws:dynamodb:${region}:${account}:table/wd-ddb-table`;
  const objects = (name: string, account: string, region: string) =>
    `arn:aws:s3:::wd-records-${name}-${account}-${region}/records/*`;
  const analytics = role("222222222222", "analytics");
  const analyticsEu = role("222222222222", "analytics-eu");
  const archive = role("333333333333", "archive");
  const readWrite = [...PUT_ITEMS, "dynamodb:GetItem", "dynamodb:Query"];

  test("lists exactly one route per destination; only the read-write one may read", async () => {
    const map = await mapOfSynthesized(synthesize(THREE_DESTINATIONS).json);
    expect(tuples(map)).toEqual([
      row(writer, DIRECTLY, analytics, [ASSUME]),
      row(writer, DIRECTLY, analyticsEu, [ASSUME]),
      row(writer, DIRECTLY, archive, [ASSUME]),
      row(writer, DIRECTLY, LOG_STREAMS, LOGS),
      row(writer, analytics, table("222222222222", "us-east-1"), PUT_ITEMS),
      row(writer, analytics, objects("analytics", "222222222222", "us-east-1"), ["s3:PutObject"]),
      row(writer, analyticsEu, table("222222222222", "eu-west-1"), readWrite),
      row(writer, analyticsEu, objects("analytics-eu", "222222222222", "eu-west-1"), ["s3:PutObject", "s3:GetObject"]),
      row(writer, archive, table("333333333333", "us-east-1"), PUT_ITEMS),
      row(writer, archive, objects("archive", "333333333333", "us-east-1"), ["s3:PutObject"]),
      row(analytics, DIRECTLY, table("222222222222", "us-east-1"), PUT_ITEMS),
      row(analytics, DIRECTLY, objects("analytics", "222222222222", "us-east-1"), ["s3:PutObject"]),
      row(analyticsEu, DIRECTLY, table("222222222222", "eu-west-1"), readWrite),
      row(analyticsEu, DIRECTLY, objects("analytics-eu", "222222222222", "eu-west-1"), [
        "s3:PutObject",
        "s3:GetObject",
      ]),
      row(archive, DIRECTLY, table("333333333333", "us-east-1"), PUT_ITEMS),
      row(archive, DIRECTLY, objects("archive", "333333333333", "us-east-1"), ["s3:PutObject"]),
      row(LAMBDA, DIRECTLY, writer, [ASSUME], ["source account 111111111111"]),
      row(LAMBDA, writer, LOG_STREAMS, LOGS, ["source account 111111111111"]),
    ]);
  });

  test("is stable: two maps of one config are equal", async () => {
    const [first, second] = await Promise.all([
      mapOfSynthesized(synthesize(THREE_DESTINATIONS).json),
      mapOfSynthesized(synthesize(THREE_DESTINATIONS).json),
    ]);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});

describe("access map with trust conditions", () => {
  const alice = "arn:aws:iam::111111111111:user/alice";
  const ops = "arn:aws:iam::444444444444:role/ops";

  test("trusted principals appear with the conditions of their trust: MFA, ExternalId, org", async () => {
    const config = exampleWith({
      externalId: "partner-7f3a",
      organizationId: "o-a1b2c3d4e5",
      trustedPrincipals: [{ arn: alice, requireMfa: true }, { arn: ops }],
    });
    const map = await mapOfSynthesized(synthesize(config).json);
    const assumes = map.rows.filter((entry) => entry.actions.includes(ASSUME) && entry.resource === DESTINATION);
    expect(assumes.map((entry) => [entry.principal, entry.conditions])).toEqual([
      [WRITER, ["ExternalId required", "org o-a1b2c3d4e5"]],
      [alice, ["ExternalId required", "MFA required", "org o-a1b2c3d4e5"]],
      [ops, ["ExternalId required", "org o-a1b2c3d4e5"]],
    ]);
    expect(map.rows).toContainEqual(
      row(alice, DESTINATION, TABLE, PUT_ITEMS, ["ExternalId required", "MFA required", "org o-a1b2c3d4e5"]),
    );
    expect(map.principals.find((principal) => principal.arn === alice)?.assumption).toMatch(/sts:AssumeRole/);
  });

  test("account-root trust: the account root is named but cannot assume; only the writer's role can", async () => {
    const map = await mapOfSynthesized(synthesize({ ...REAL_ACCOUNTS, trustMode: "account-with-principal-arn" }).json);
    const root = "arn:aws:iam::123456789012:root";
    expect(map.principals.map((principal) => principal.arn)).toContain(root);
    expect(map.rows.filter((entry) => entry.principal === root)).toEqual([]);
    expect(map.rows.filter((entry) => entry.actions.includes(ASSUME)).map((entry) => entry.principal)).toEqual([
      "arn:aws:iam::123456789012:role/cross-account-write-to-210987654321",
      LAMBDA,
    ]);
  });
});
