import {
  ASSUME_ANY_ROLE,
  assumeTarget,
  bucketTarget,
  principal,
  resourceTarget,
  roleSession,
  type Target,
} from "../../scripts/access-map/evaluate";
import { THREE_DESTINATIONS } from "../synth";
import { allowed, type Case, denied, matrix, OBJECT_NAME } from "./matrix";
import { resolveStack } from "./resolve-stack";

describe("IAM matrix: many destinations (3 in 2 regions, two sharing an account), no role serves another", () => {
  // analytics also trusts an analyst role of a fourth account, by its own trustedPrincipals.
  const ANALYST = "arn:aws:iam::444444444444:role/analyst";
  const stack = resolveStack({
    ...THREE_DESTINATIONS,
    destinations: THREE_DESTINATIONS.destinations!.map((destination) =>
      destination.name === "analytics" ? { ...destination, trustedPrincipals: [{ arn: ANALYST }] } : destination,
    ),
  });
  const analyst = () => principal(ANALYST, [ASSUME_ANY_ROLE]);
  const { names } = stack.config;
  const writerRole = stack.role(names.writerRole);
  const writer = () => roleSession(writerRole, names.writerFunction);
  const key = `${names.bucketPrefix}/${OBJECT_NAME}`;
  const destinations = stack.config.destinations.map((destination) => {
    const role = stack.role(destination.role);
    const table = stack.table(destination.table, destination);
    const bucket = stack.bucket(destination.bucket);
    return {
      name: destination.name,
      access: destination.access,
      role,
      session: () => roleSession(role, names.writerFunction),
      table,
      bucket,
      assumeRole: () => assumeTarget(role),
      onTable: () => resourceTarget(table, table.arn),
      onObject: () => bucketTarget(bucket, key),
    };
  });
  const pairs = destinations.flatMap((from) => destinations.filter((to) => to !== from).map((to) => ({ from, to })));
  const [analytics, analyticsEu] = destinations;

  test("the tables of analytics and analytics-eu share a name and an account but not a region, so not an ARN", () => {
    expect([analytics.table.accountId, analyticsEu.table.accountId]).toEqual(["222222222222", "222222222222"]);
    expect(analytics.table.arn).toBe("arn:aws:dynamodb:us-east-1:222222222222:table/wd-ddb-table");
    expect(analyticsEu.table.arn).toBe("arn:aws:dynamodb:eu-west-1:222222222222:table/wd-ddb-table");
  });

  const ALLOWED_BY_ITS_OWN_POLICY = "though its own policy allows sts:AssumeRole on *";
  const analystTries = (name: string, assumeRole: () => Target): Case => {
    const [decide, verb] = name === "analytics" ? [allowed, "assumes"] : [denied, "may not assume"];
    const what = `an analyst role trusted by analytics alone ${verb} the ${name} role, ${ALLOWED_BY_ITS_OWN_POLICY}`;
    return decide(what, analyst, "sts:AssumeRole", assumeRole);
  };
  const listOwnPrefix = { context: { "s3:prefix": `${names.bucketPrefix}/` } };

  matrix([
    ...destinations.map(({ name, assumeRole }) =>
      allowed(`the writer assumes the ${name} role`, writer, "sts:AssumeRole", assumeRole, { sameAccount: false }),
    ),
    ...destinations.map(({ name, assumeRole }) => analystTries(name, assumeRole)),
    ...pairs.map(({ from, to }) =>
      denied(
        `a session of the ${from.name} role may not assume the ${to.name} role`,
        from.session,
        "sts:AssumeRole",
        to.assumeRole,
      ),
    ),
    ...destinations.flatMap(({ name, session, onTable, onObject }): Case[] => [
      allowed(`the ${name} role puts items into its own table`, session, "dynamodb:PutItem", onTable, {
        sameAccount: true,
      }),
      allowed(`the ${name} role puts objects under its own bucket's prefix`, session, "s3:PutObject", onObject, {
        sameAccount: true,
      }),
    ]),
    ...pairs.flatMap(({ from, to }): Case[] => [
      denied(
        `the ${from.name} role may not put items into ${to.name}'s table`,
        from.session,
        "dynamodb:PutItem",
        to.onTable,
      ),
      denied(
        `the ${from.name} role may not put objects into ${to.name}'s bucket`,
        from.session,
        "s3:PutObject",
        to.onObject,
      ),
    ]),
    ...destinations.flatMap(({ name, access, session, bucket, onTable, onObject }): Case[] => {
      const reads = access === "read-write" ? allowed : denied;
      const verb = access === "read-write" ? "reads" : "may not read (write access)";
      return [
        reads(`the ${name} role ${verb} items of its own table (GetItem)`, session, "dynamodb:GetItem", onTable),
        reads(`the ${name} role ${verb} items of its own table (Query)`, session, "dynamodb:Query", onTable),
        reads(`the ${name} role ${verb} objects under its own prefix`, session, "s3:GetObject", onObject),
        reads(
          `the ${name} role ${verb} the listing of its own prefix`,
          session,
          "s3:ListBucket",
          () => bucketTarget(bucket),
          listOwnPrefix,
        ),
      ];
    }),
    denied(
      "the read-write analytics-eu role may not list its bucket outside the prefix",
      analyticsEu.session,
      "s3:ListBucket",
      () => bucketTarget(analyticsEu.bucket),
      { context: { "s3:prefix": "" } },
    ),
    denied(
      "the read-write analytics-eu role may not read analytics' table in the same account",
      analyticsEu.session,
      "dynamodb:GetItem",
      analytics.onTable,
    ),
    denied(
      "the read-write analytics-eu role may not delete items of its own table",
      analyticsEu.session,
      "dynamodb:DeleteItem",
      analyticsEu.onTable,
    ),
  ]);
});
