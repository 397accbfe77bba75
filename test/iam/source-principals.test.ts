import {
  ASSUME_ANY_ROLE,
  assumeTarget,
  bucketTarget,
  type ContextValues,
  principal,
  resourceTarget,
  roleSession,
} from "../../scripts/access-map/evaluate";
import { THREE_DESTINATIONS, WITH_SOURCE_PRINCIPALS } from "../synth";
import { allowed, denied, matrix, OBJECT_NAME } from "./matrix";
import { resolveStack } from "./resolve-stack";
import type { ResolvedStack } from "./resolved-stack";

// Source principals (guides 002 and 004) as synthesized: an EC2 instance role sharing the writer's roles of analytics
// and archive; the prod-readers group (alice, bob) reading analytics-eu through a read-only role of its own with MFA
// at most an hour old; the prod-leads group (carol) with analytics-eu's own read-write access.
const stack = resolveStack(WITH_SOURCE_PRINCIPALS);
const SOURCE = "111111111111";
const role = (name: string) => stack.role(`assume-role-via-${SOURCE}-${name}`);
const assume = (name: string) => () => assumeTarget(role(name));

/** The resolved identity policies of an IAM group of the stack, by its name. */
function groupPolicies(resolved: ResolvedStack, group: string) {
  const { id } = resolved.synth.resource("aws_iam_group", "name", group);
  return Object.values(resolved.synth.resources("aws_iam_group_policy"))
    .filter((block) => block.group === `\${aws_iam_group.${id}.id}`)
    .map((block) => ({ name: String(block.name), policy: resolved.policy(block) }));
}

/** A user of a group as IAM sees the request: its group's policies, and MFA in the context when given. */
const operator =
  (group: string, user: string, context: ContextValues = {}) =>
  () =>
    principal(`arn:aws:iam::${SOURCE}:user/${user}`, groupPolicies(stack, group), context);
const mfa = (ageSeconds: number) => ({
  "aws:MultiFactorAuthPresent": "true",
  "aws:MultiFactorAuthAge": String(ageSeconds),
});
const MFA = { "aws:MultiFactorAuthPresent": "true" };
const NO_MFA = { "aws:MultiFactorAuthPresent": "false" };
const instance = () => roleSession(stack.role("batch-ec2"), "i-0123456789abcdef0");

describe("IAM matrix, source principals: the EC2 instance role", () => {
  matrix([
    ...["analytics", "archive"].map((name) =>
      allowed(`batch-ec2 assumes the ${name} role it is given`, instance, "sts:AssumeRole", assume(name), {
        sameAccount: false,
      }),
    ),
    ...["analytics-eu", "analytics-eu-read"].map((name) =>
      denied(
        `batch-ec2 may not assume the ${name} role, which it is not given`,
        instance,
        "sts:AssumeRole",
        assume(name),
      ),
    ),
    denied(
      "another EC2 role of the source account may not assume the analytics role, even with sts:AssumeRole on *",
      () => principal(`arn:aws:iam::${SOURCE}:role/other-ec2`, [ASSUME_ANY_ROLE]),
      "sts:AssumeRole",
      assume("analytics"),
    ),
  ]);
});

describe("IAM matrix, source principals: operators with MFA [aws-rule iam-mfa-condition]", () => {
  const readers = (user: string, context?: ContextValues) => operator("prod-readers", user, context);
  matrix([
    allowed(
      "alice (prod-readers) with fresh MFA assumes the analytics-eu read role",
      readers("alice", mfa(300)),
      "sts:AssumeRole",
      assume("analytics-eu-read"),
    ),
    allowed(
      "bob (prod-readers) with fresh MFA assumes it too",
      readers("bob", mfa(300)),
      "sts:AssumeRole",
      assume("analytics-eu-read"),
    ),
    denied(
      "alice without MFA may not assume it",
      readers("alice", NO_MFA),
      "sts:AssumeRole",
      assume("analytics-eu-read"),
    ),
    denied(
      "alice with MFA older than the 3600 s limit may not assume it",
      readers("alice", mfa(7200)),
      "sts:AssumeRole",
      assume("analytics-eu-read"),
    ),
    denied(
      "alice may not assume analytics-eu's read-write role, which prod-readers is not given",
      readers("alice", mfa(300)),
      "sts:AssumeRole",
      assume("analytics-eu"),
    ),
    denied(
      "a user outside the group, allowed sts:AssumeRole on * and with MFA, may not assume the read role",
      () => principal(`arn:aws:iam::${SOURCE}:user/mallory`, [ASSUME_ANY_ROLE], mfa(300)),
      "sts:AssumeRole",
      assume("analytics-eu-read"),
    ),
    allowed(
      "carol (prod-leads) with MFA assumes analytics-eu's own read-write role",
      operator("prod-leads", "carol", MFA),
      "sts:AssumeRole",
      assume("analytics-eu"),
    ),
    denied(
      "carol without MFA may not",
      operator("prod-leads", "carol", NO_MFA),
      "sts:AssumeRole",
      assume("analytics-eu"),
    ),
    denied(
      "carol may not assume the read role of prod-readers",
      operator("prod-leads", "carol", MFA),
      "sts:AssumeRole",
      assume("analytics-eu-read"),
    ),
  ]);
});

describe("IAM matrix, source principals: an operator's session does what its access allows, and no more", () => {
  const eu = THREE_DESTINATIONS.destinations!.find((destination) => destination.name === "analytics-eu")!;
  const table = stack.table("wd-ddb-table", { accountId: eu.accountId, region: eu.region });
  const bucket = stack.bucket(`wd-records-analytics-eu-${eu.accountId}-${eu.region}`);
  const session = () => roleSession(role("analytics-eu-read"), "alice");
  const key = `${stack.config.names.bucketPrefix}/${OBJECT_NAME}`;
  const onTable = () => resourceTarget(table, table.arn);
  matrix([
    allowed("the read role's session gets items of analytics-eu's table", session, "dynamodb:GetItem", onTable),
    allowed("it queries the table", session, "dynamodb:Query", onTable),
    allowed("it gets objects under the prefix", session, "s3:GetObject", () => bucketTarget(bucket, key)),
    denied("it may not put items", session, "dynamodb:PutItem", onTable),
    denied("it may not put objects", session, "s3:PutObject", () => bucketTarget(bucket, key)),
    denied("it may not delete items", session, "dynamodb:DeleteItem", onTable),
    denied("it may not scan the table", session, "dynamodb:Scan", onTable),
  ]);
});

describe("IAM matrix, source principals: nothing here widens the writer's role", () => {
  const without = resolveStack(THREE_DESTINATIONS);
  test.each(["analytics", "analytics-eu", "archive"])(
    "the writer's %s role allows exactly what it allowed without them",
    (name) => {
      const writerRole = `assume-role-via-${SOURCE}-${name}`;
      expect(stack.role(writerRole).identityPolicies).toEqual(without.role(writerRole).identityPolicies);
    },
  );

  test("the writer's execution role may assume exactly the destination roles it assumed before", () => {
    const writer = stack.role(stack.config.names.writerRole);
    expect(writer.identityPolicies).toEqual(without.role(without.config.names.writerRole).identityPolicies);
  });
});
