import { DIRECTLY } from "../../scripts/access-map/access-map";
import { THROUGH_THE_URL } from "../../scripts/access-map/findings";
import { checkAgainst, toMarkdown } from "../../scripts/access-map/report";
import { mapOfSynthesized } from "../../scripts/access-map/sources";
import { synthesize } from "../synth";
import { VENDING_REAL_ACCOUNTS } from "../vending-fixtures";

// The vending pattern in the access map: a caller reaches the function through its URL only (both actions, the
// InvokeFunction one only with lambda:InvokedViaFunctionUrl), and a principal of the stack that may invoke it
// directly, which could forge the signed caller, is a finding.
const json = synthesize(VENDING_REAL_ACCOUNTS).json;
const FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:cross-account-vend";
const READER = "arn:aws:iam::123456789012:role/reporting";
const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
/** The same stack with a role of the source account allowed `lambda:*`, as a platform team's role often is. */
const withLambdaAdmin = {
  ...json,
  resource: {
    ...json.resource,
    aws_iam_role: {
      ...json.resource?.aws_iam_role,
      platform_admin: {
        provider: "aws.source",
        name: "platform-admin",
        assume_role_policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      },
    },
    aws_iam_role_policy: {
      ...json.resource?.aws_iam_role_policy,
      platform_admin_lambda: {
        provider: "aws.source",
        name: "lambda-admin",
        role: "${aws_iam_role.platform_admin.id}",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "lambda:*", Resource: "*" }],
        }),
      },
    },
  },
};

describe("access map: the vend function [aws-rule lambda-url-needs-invoke-function] [aws-rule lambda-invoked-via-function-url]", () => {
  test("a configured caller reaches the function with both actions, InvokeFunction only through the URL; no finding", async () => {
    const map = await mapOfSynthesized(json);
    const rows = map.rows.filter((row) => row.principal === READER && row.resource === FUNCTION);
    expect(rows).toHaveLength(1);
    expect(rows[0].actions).toEqual(["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"]);
    expect(rows[0].conditions).toEqual(expect.arrayContaining([THROUGH_THE_URL, "function URL auth AWS_IAM"]));
    expect(map.findings).toBeUndefined();
    expect(toMarkdown(map, "test")).toContain("## Findings\n\nNone.");
  }, 120_000);

  test("a principal of the stack allowed lambda:* is named as a direct-invoke finding, in the JSON, the page and --check", async () => {
    const [before, after] = await Promise.all([mapOfSynthesized(json), mapOfSynthesized(withLambdaAdmin)]);
    // The role itself, and what may assume it (EC2 here) through it.
    expect(after.findings).toEqual([
      expect.objectContaining({ kind: "direct-invoke", principal: ADMIN, via: DIRECTLY, resource: FUNCTION }),
      expect.objectContaining({
        kind: "direct-invoke",
        principal: "ec2.amazonaws.com",
        via: ADMIN,
        resource: FUNCTION,
      }),
    ]);
    const row = after.rows.find((candidate) => candidate.principal === ADMIN && candidate.resource === FUNCTION);
    expect(row?.conditions).not.toContain(THROUGH_THE_URL);
    expect(toMarkdown(after, "test")).toMatch(
      new RegExp(`- \\*\\*direct-invoke\\*\\*: ${ADMIN} may invoke ${FUNCTION} directly.*vend-direct-invoke-guard`),
    );
    const { grown } = checkAgainst(before, after);
    expect(grown).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^NEW FINDING \\(direct-invoke\\): ${ADMIN} may invoke`)),
      ]),
    );
    expect(checkAgainst(after, before).shrunk).toEqual(
      expect.arrayContaining([expect.stringMatching(/^REMOVED FINDING \(direct-invoke\)/)]),
    );
  }, 180_000);
});
