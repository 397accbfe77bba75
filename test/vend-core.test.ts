import { AssumeRoleCommand, STSServiceException } from "@aws-sdk/client-sts";
import { sessionPolicy } from "../functions/vend/session-policy";
import { callerIdentifier, tagValue } from "../functions/vend/vend";
import {
  ALICE,
  INGEST_SESSION,
  REPORTING_SESSION,
  STRANGER_SESSION,
  VEND_SETTINGS,
  vendHarness,
} from "./vend-fixtures";

const { sts, vend, assumeRoleCalls, errorOf } = vendHarness();
const awsError = (name: string, message: string) =>
  new STSServiceException({ name, $fault: "client", $metadata: {}, message });
const read = { destination: "analytics", access: "read" };

describe("vendCredentials", () => {
  test("answers credential_process JSON of the destination's vending role", async () => {
    const response = await vend(REPORTING_SESSION, read);
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({ "content-type": "application/json", "cache-control": "no-store" });
    expect(JSON.parse(response.body)).toEqual({
      Version: 1,
      AccessKeyId: "ASIA1",
      SecretAccessKey: "s1",
      SessionToken: "t1",
      Expiration: "2025-01-01T12:15:00.000Z",
    });
  });

  test("assumes the role with the caller as source identity, its tags and its session policy", async () => {
    await vend(REPORTING_SESSION, {
      destination: "archive",
      access: "read",
      purpose: "monthly-report",
      durationSeconds: 3600,
    });
    const policy = sessionPolicy({ access: "read", destination: VEND_SETTINGS.destinations[1], prefix: "reporting" });
    expect(assumeRoleCalls()).toEqual([
      {
        RoleArn: "arn:aws:iam::333333333333:role/vending",
        RoleSessionName: "reporting@111111111111",
        SourceIdentity: "reporting@111111111111",
        Tags: [
          { Key: "caller", Value: REPORTING_SESSION },
          { Key: "purpose", Value: "monthly-report" },
        ],
        Policy: JSON.stringify(policy),
        DurationSeconds: 3600,
      },
    ]);
    expect(assumeRoleCalls()[0]).not.toHaveProperty("TransitiveTagKeys");
  });

  test("asks for 900 s by default, for a user too, with its own prefix and no purpose tag", async () => {
    await vend(ALICE, { destination: "archive", access: "write" });
    const [call] = assumeRoleCalls();
    expect(call).toEqual(
      expect.objectContaining({
        RoleSessionName: "alice@111111111111",
        SourceIdentity: "alice@111111111111",
        DurationSeconds: 900,
        Tags: [{ Key: "caller", Value: ALICE }],
      }),
    );
    expect(JSON.parse(call.Policy ?? "").Statement[1].Resource).toBe("arn:aws:s3:::wd-records-b/records/v1/alice/*");
  });

  test("a caller's configured prefix and maximum session apply", async () => {
    await vend(INGEST_SESSION, { destination: "analytics", access: "write", durationSeconds: 1800 });
    const resource = JSON.parse(assumeRoleCalls()[0].Policy ?? "").Statement[1].Resource;
    expect(resource).toBe("arn:aws:s3:::wd-records-a/records/ingest/v2/*");
    const tooLong = await vend(INGEST_SESSION, { destination: "analytics", access: "write", durationSeconds: 1801 });
    expect([tooLong.statusCode, errorOf(tooLong)]).toEqual([
      400,
      "durationSeconds must be at most 1800 for this caller, got 1801",
    ]);
    expect(assumeRoleCalls()).toHaveLength(1);
  });

  test("the caller's STS identifiers fit 2-64 characters; tag values keep to the allowed characters", () => {
    const long = "r".repeat(60);
    expect(callerIdentifier(`arn:aws:sts::111111111111:assumed-role/${long}/s1`)).toBe(long);
    expect(callerIdentifier("arn:aws:iam::111111111111:user/a")).toBe("a@111111111111");
    expect(tagValue("arn:aws:sts::111111111111:assumed-role/a,b/s")).toBe(
      "arn:aws:sts::111111111111:assumed-role/a_b/s",
    );
    expect(tagValue(`arn:aws:iam::111111111111:user/${"p/".repeat(200)}x`)).toHaveLength(256);
  });

  test("a read-write caller may ask for read or write alone", async () => {
    for (const access of ["read", "write", "read-write"]) {
      expect((await vend(INGEST_SESSION, { destination: "analytics", access })).statusCode).toBe(200);
    }
  });
});

describe("vendCredentials refuses, vending nothing", () => {
  const allowedForAlice = "arn:aws:iam::111111111111:user/alice may ask for write access to archive";
  test.each<[string, string | undefined, unknown, number, RegExp]>([
    ["an unsigned request", undefined, read, 403, /carries no IAM identity/],
    [
      "an unknown caller",
      STRANGER_SESSION,
      read,
      403,
      /^arn:aws:sts::111111111111:assumed-role\/intruder\/session is not a caller of this vending function$/,
    ],
    [
      "an unknown caller naming a known one in the body",
      STRANGER_SESSION,
      { ...read, userArn: REPORTING_SESSION },
      403,
      /intruder\/session is not a caller/,
    ],
    [
      "a destination not granted",
      ALICE,
      { destination: "analytics", access: "write" },
      403,
      new RegExp(`^destination "analytics" is not granted: ${allowedForAlice}$`),
    ],
    [
      "an access not granted",
      REPORTING_SESSION,
      { destination: "archive", access: "read-write" },
      403,
      /^access "read-write" is not granted: .*reporting\/dashboard may ask for read access to analytics, archive$/,
    ],
    ["a write for a reader", REPORTING_SESSION, { ...read, access: "write" }, 403, /^access "write" is not granted/],
    [
      "a malformed request",
      REPORTING_SESSION,
      { destination: "analytics" },
      400,
      /^access must be "read", "write", "read-write", got nothing$/,
    ],
    ["a body that is not JSON", REPORTING_SESSION, "{", 400, /^the body must be JSON/],
  ])("%s: %d", async (_name, userArn, body, statusCode, message) => {
    const response = await vend(userArn, body);
    expect(response.statusCode).toBe(statusCode);
    expect(errorOf(response)).toMatch(message);
    expect(assumeRoleCalls()).toHaveLength(0);
  });

  test("AssumeRole denied: 502 naming the role and what its trust must allow", async () => {
    sts.on(AssumeRoleCommand).rejects(awsError("AccessDenied", "not authorized to perform: sts:TagSession"));
    const response = await vend(REPORTING_SESSION, read);
    expect(response.statusCode).toBe(502);
    expect(errorOf(response)).toBe(
      "AssumeRole on arn:aws:iam::222222222222:role/vending was denied: check that the role's trust policy " +
        "names the vend function's execution role and allows sts:AssumeRole, sts:SetSourceIdentity and " +
        "sts:TagSession, and that the function's role may call sts:AssumeRole on it " +
        "(not authorized to perform: sts:TagSession)",
    );
  });

  test("another AWS error: 502 with its name", async () => {
    sts.on(AssumeRoleCommand).rejects(awsError("RegionDisabledException", "STS is not activated in this region"));
    const response = await vend(REPORTING_SESSION, read);
    expect(response.statusCode).toBe(502);
    expect(errorOf(response)).toBe(
      "AssumeRole on arn:aws:iam::222222222222:role/vending failed with RegionDisabledException: " +
        "STS is not activated in this region",
    );
  });
});
