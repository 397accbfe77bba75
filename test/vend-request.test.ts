import {
  callerArnOf,
  callerMaxDuration,
  findCaller,
  parseVendBody,
  principalOf,
  roleArnOfSession,
  VendRequestError,
} from "../functions/vend/request";
import { ALICE, INGEST_SESSION, REPORTING_SESSION, STRANGER_SESSION, urlEvent, VEND_SETTINGS } from "./vend-fixtures";

const [reporting, ingest, alice] = VEND_SETTINGS.callers;

function failure(run: () => unknown): { statusCode: number; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof VendRequestError) return { statusCode: error.statusCode, message: error.message };
    throw error;
  }
  throw new Error("expected a VendRequestError");
}

describe("the caller's identity", () => {
  test("comes from requestContext.authorizer.iam.userArn", () => {
    expect(callerArnOf(urlEvent(REPORTING_SESSION, {}))).toBe(REPORTING_SESSION);
  });

  test("is never read from the body: an unsigned request naming a caller is refused", () => {
    const event = urlEvent(undefined, { destination: "analytics", access: "read", userArn: REPORTING_SESSION });
    expect(failure(() => callerArnOf(event))).toEqual({
      statusCode: 403,
      message: expect.stringMatching(
        /carries no IAM identity: call the function URL signed with SigV4 \(AuthType AWS_IAM\)/,
      ),
    });
  });

  test("a role session ARN maps to its role ARN", () => {
    expect(roleArnOfSession(REPORTING_SESSION)).toBe("arn:aws:iam::111111111111:role/reporting");
    expect(roleArnOfSession(ALICE)).toBe(ALICE);
    expect(principalOf("arn:aws-cn:sts::111111111111:assumed-role/ingest/x1")).toEqual({
      partition: "aws-cn",
      accountId: "111111111111",
      kind: "role",
      name: "ingest",
    });
  });

  test("a session matches its configured role, also one configured with a path", () => {
    expect(findCaller(VEND_SETTINGS.callers, REPORTING_SESSION)).toBe(reporting);
    expect(findCaller(VEND_SETTINGS.callers, INGEST_SESSION)).toBe(ingest);
    expect(findCaller(VEND_SETTINGS.callers, ALICE)).toBe(alice);
    expect(findCaller(VEND_SETTINGS.callers, "arn:aws:iam::111111111111:user/teams/alice")).toBe(alice);
  });

  test.each([
    ["a role of another name", STRANGER_SESSION],
    ["the same role name in another account", "arn:aws:sts::999999999999:assumed-role/reporting/dashboard"],
    ["a user named like a configured role", "arn:aws:iam::111111111111:user/reporting"],
    ["a role named like a configured user", "arn:aws:sts::111111111111:assumed-role/alice/s1"],
    ["another partition", "arn:aws-cn:sts::111111111111:assumed-role/reporting/dashboard"],
    ["a federated user", "arn:aws:sts::111111111111:federated-user/reporting"],
    ["the account root", "arn:aws:iam::111111111111:root"],
  ])("matches no caller for %s", (_name, userArn) => {
    expect(findCaller(VEND_SETTINGS.callers, userArn)).toBeUndefined();
  });
});

describe("parseVendBody", () => {
  test("reads destination, access, purpose and duration", () => {
    const body = { destination: "analytics", access: "read-write", purpose: "nightly.load@v2", durationSeconds: 1800 };
    expect(parseVendBody(urlEvent(INGEST_SESSION, body), ingest)).toEqual(body);
  });

  test("reads a base64-encoded body", () => {
    expect(
      parseVendBody(urlEvent(ALICE, { destination: "archive", access: "write" }, { base64: true }), alice),
    ).toEqual({ destination: "archive", access: "write", durationSeconds: 900 });
  });

  test("a caller's longest session is its own maximum, capped by role chaining [aws-rule sts-role-chaining-one-hour]", () => {
    expect([reporting, ingest, { maxDurationSeconds: 7200 }].map(callerMaxDuration)).toEqual([3600, 1800, 3600]);
    expect(
      parseVendBody(
        urlEvent(REPORTING_SESSION, { destination: "analytics", access: "read", durationSeconds: 3600 }),
        reporting,
      ).durationSeconds,
    ).toBe(3600);
  });

  const read = { destination: "analytics", access: "read" };
  test.each<[string, object | string, RegExp]>([
    [
      "a body that is not JSON",
      "destination=analytics",
      /^the body must be JSON such as \{"destination":"analytics","access":"read"\}, got "destination=analytics"$/,
    ],
    ["an empty body", "", /^the body must be JSON/],
    ["a body that is not an object", "[1]", /^the body must be a JSON object, got \[1\]$/],
    ["a missing destination", { access: "read" }, /^destination must be a destination name, got nothing$/],
    [
      "an empty destination",
      { ...read, destination: "" },
      /^destination must be a destination name, got an empty string$/,
    ],
    ["an unknown access", { ...read, access: "admin" }, /^access must be "read", "write", "read-write", got "admin"$/],
    [
      "a purpose with a space",
      { ...read, purpose: "night load" },
      /^purpose must be 1-64 of letters, digits and _\+=,\.@-, got "night load"$/,
    ],
    ["a purpose too long", { ...read, purpose: "p".repeat(65) }, /^purpose must be 1-64 of/],
    [
      "a duration below STS's minimum",
      { ...read, durationSeconds: 600 },
      /^durationSeconds must be at least 900, got 600$/,
    ],
    [
      "a duration beyond role chaining",
      { ...read, durationSeconds: 3601 },
      /^durationSeconds must be at most 3600 for this caller, got 3601$/,
    ],
    [
      "a fractional duration",
      { ...read, durationSeconds: 900.5 },
      /^durationSeconds must be a whole number of seconds, got 900.5$/,
    ],
    [
      "an identity in the body",
      { ...read, userArn: REPORTING_SESSION },
      /^the body has unknown fields userArn; allowed: destination, access, purpose, durationSeconds$/,
    ],
  ])("answers 400 for %s, naming the field", (_name, body, expected) => {
    const { statusCode, message } = failure(() => parseVendBody(urlEvent(REPORTING_SESSION, body), reporting));
    expect(statusCode).toBe(400);
    expect(message).toMatch(expected);
  });

  test("answers 400 for a duration beyond the caller's own maximum", () => {
    const event = urlEvent(INGEST_SESSION, { ...read, durationSeconds: 2400 });
    expect(failure(() => parseVendBody(event, ingest))).toEqual({
      statusCode: 400,
      message: "durationSeconds must be at most 1800 for this caller, got 2400",
    });
  });

  test("answers 400 naming every bad field at once", () => {
    const { message } = failure(() =>
      parseVendBody(urlEvent(REPORTING_SESSION, { destination: 7, access: "all" }), reporting),
    );
    expect(message).toBe(
      'destination must be a destination name, got 7; access must be "read", "write", "read-write", got "all"',
    );
  });

  test("answers 405 for another method than POST", () => {
    expect(failure(() => parseVendBody(urlEvent(REPORTING_SESSION, read, { method: "GET" }), reporting))).toEqual({
      statusCode: 405,
      message: "use POST with a JSON body, got GET",
    });
  });
});
