import { type AccessMap, ASSUME, DIRECTLY } from "../../scripts/access-map/access-map";
import { mapOfSynthesized } from "../../scripts/access-map/sources";

// A pattern the writer does not have, written as cdktf would synthesize it: operators in an IAM group of the source
// account assume a destination role with MFA, and a caller in a third account invokes a function URL.
const provider = (alias: string, account: string) => ({ alias, allowed_account_ids: [account], region: "us-east-1" });
const json = (role: Record<string, unknown> = {}, extra: Record<string, Record<string, unknown>> = {}) => ({
  provider: { aws: [provider("source", "111111111111"), provider("destination", "222222222222")] },
  resource: {
    aws_iam_user: {
      alice: { provider: "aws.source", name: "alice" },
      bob: { provider: "aws.source", name: "bob" },
    },
    aws_iam_group: { operators: { provider: "aws.source", name: "operators" } },
    aws_iam_user_group_membership: {
      alice_operators: {
        provider: "aws.source",
        user: "${aws_iam_user.alice.name}",
        groups: ["${aws_iam_group.operators.name}"],
      },
    },
    aws_iam_group_policy: {
      assume: {
        provider: "aws.source",
        name: "assume-operator",
        group: "${aws_iam_group.operators.id}",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "${aws_iam_role.operator.arn}" }],
        }),
      },
    },
    aws_iam_role: {
      operator: {
        provider: "aws.destination",
        name: "operator",
        assume_role_policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::111111111111:root" },
              Action: "sts:AssumeRole",
              Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            },
          ],
        }),
        ...role,
      },
    },
    aws_iam_role_policy: {
      read: {
        provider: "aws.destination",
        name: "read",
        role: "${aws_iam_role.operator.id}",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "${aws_dynamodb_table.records.arn}" }],
        }),
      },
    },
    aws_dynamodb_table: { records: { provider: "aws.destination", name: "records" } },
    aws_lambda_function: { vend: { provider: "aws.source", function_name: "vend" } },
    aws_lambda_permission: {
      url: {
        provider: "aws.source",
        statement_id: "caller",
        action: "lambda:InvokeFunctionUrl",
        function_name: "${aws_lambda_function.vend.function_name}",
        principal: "arn:aws:iam::444444444444:role/caller",
        function_url_auth_type: "AWS_IAM",
      },
    },
    ...extra,
  },
});

const ALICE = "arn:aws:iam::111111111111:user/alice";
const ROOT = "arn:aws:iam::111111111111:root";
const OPERATOR = "arn:aws:iam::222222222222:role/operator";
const TABLE = "arn:aws:dynamodb:us-east-1:222222222222:table/records";
const FUNCTION = "arn:aws:lambda:us-east-1:111111111111:function:vend";
const CALLER = "arn:aws:iam::444444444444:role/caller";

describe("access map of principals and resources of other patterns, without code for them", () => {
  let map: AccessMap;
  beforeAll(async () => {
    map = await mapOfSynthesized(json());
  });

  test("a group member assumes the role with MFA; a function URL caller invokes; nobody else gets a row", () => {
    const mfa = ["MFA required"];
    expect(map.rows.map((row) => ({ ...row }))).toEqual([
      { principal: ROOT, via: DIRECTLY, resource: OPERATOR, actions: [ASSUME], conditions: mfa },
      { principal: ROOT, via: OPERATOR, resource: TABLE, actions: ["dynamodb:GetItem"], conditions: mfa },
      { principal: ALICE, via: DIRECTLY, resource: OPERATOR, actions: [ASSUME], conditions: mfa },
      { principal: ALICE, via: OPERATOR, resource: TABLE, actions: ["dynamodb:GetItem"], conditions: mfa },
      { principal: OPERATOR, via: DIRECTLY, resource: TABLE, actions: ["dynamodb:GetItem"], conditions: [] },
      {
        principal: CALLER,
        via: DIRECTLY,
        resource: FUNCTION,
        actions: ["lambda:InvokeFunctionUrl"],
        conditions: ["function URL auth AWS_IAM"],
      },
    ]);
  });

  test("bob, in no group, holds no policy that lets him assume the role: no row", () => {
    expect(map.principals.map((principal) => principal.arn)).toContain("arn:aws:iam::111111111111:user/bob");
    expect(map.rows.filter((row) => row.principal.endsWith(":user/bob"))).toEqual([]);
  });
});

describe("access map fails on what it does not model, naming it", () => {
  test.each([
    [
      { permissions_boundary: "arn:aws:iam::aws:policy/PowerUserAccess" },
      {},
      /aws_iam_role.operator sets permissions_boundary/,
    ],
    [
      {},
      { aws_iam_policy_attachment: { x: { provider: "aws.source" } } },
      /aws_iam_policy_attachment.x: .* is not modelled/,
    ],
    [
      {},
      {
        aws_iam_role_policy_attachment: {
          admin: {
            provider: "aws.destination",
            role: "operator",
            policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess",
          },
        },
      },
      /attaches arn:aws:iam::aws:policy\/AdministratorAccess, which is not an aws_iam_policy of the stack/,
    ],
    [
      { assume_role_policy: "${aws_iam_role.nothing.arn}" },
      {},
      /\$\{aws_iam_role.nothing.arn\} names no resource of the stack/,
    ],
  ])("%j %j", async (role, extra, message) => {
    await expect(mapOfSynthesized(json(role, extra))).rejects.toThrow(message);
  });

  test("a provider without one allowed account", async () => {
    const bad = json();
    bad.provider.aws[0] = { alias: "source", allowed_account_ids: [], region: "us-east-1" };
    await expect(mapOfSynthesized(bad)).rejects.toThrow(
      /names provider aws.source, which has no single allowed_account_ids entry/,
    );
  });
});
