import { AssumeRoleCommand, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { stsAssumeRole } from "../functions/vend/assume-role";
import { sessionPolicy } from "../functions/vend/session-policy";
import { CredentialCache, REFRESH_BEFORE_EXPIRY_MS, VendDeps, callerIdentifier, tagValue, vendCredentials } from "../functions/vend/vend";
import { ALICE, INGEST_SESSION, REPORTING_SESSION, STRANGER_SESSION, VEND_SETTINGS, urlEvent } from "./vend-fixtures";

const sts = mockClient(STSClient);
const START = Date.parse("2025-01-01T12:00:00.000Z");
let clock = START;
let deps: VendDeps;

function answerWithCredentials(): void {
  let issued = 0;
  sts.on(AssumeRoleCommand).callsFake((input: { DurationSeconds: number }) => {
    issued += 1;
    return {
      Credentials: {
        AccessKeyId: `ASIA${issued}`, SecretAccessKey: `secret-${issued}`, SessionToken: `token-${issued}`,
        Expiration: new Date(clock + input.DurationSeconds * 1000),
      },
    };
  });
}

beforeEach(() => {
  sts.reset();
  clock = START;
  answerWithCredentials();
  deps = { settings: VEND_SETTINGS, assumeRole: stsAssumeRole(new STSClient({ region: "us-east-1" })), now: () => new Date(clock), cache: new CredentialCache() };
});

const vend = (userArn: string | undefined, body: unknown) => vendCredentials(urlEvent(userArn, body), deps);
const assumeRoleCalls = () => sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);
const errorOf = (response: { body: string }) => JSON.parse(response.body).error as string;

describe("vendCredentials", () => {
  test("answers credential_process JSON of the destination's vending role", async () => {
    const response = await vend(REPORTING_SESSION, { destination: "analytics", access: "read" });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual(expect.objectContaining({ "content-type": "application/json", "cache-control": "no-store" }));
    expect(JSON.parse(response.body)).toEqual({
      Version: 1, AccessKeyId: "ASIA1", SecretAccessKey: "secret-1", SessionToken: "token-1", Expiration: "2025-01-01T12:15:00.000Z",
    });
  });

  test("assumes the role with the caller as source identity, its tags and its session policy", async () => {
    await vend(REPORTING_SESSION, { destination: "archive", access: "read", purpose: "monthly-report", durationSeconds: 3600 });
    expect(assumeRoleCalls()).toEqual([{
      RoleArn: "arn:aws:iam::333333333333:role/vending",
      RoleSessionName: "reporting@111111111111",
      SourceIdentity: "reporting@111111111111",
      Tags: [{ Key: "caller", Value: REPORTING_SESSION }, { Key: "purpose", Value: "monthly-report" }],
      Policy: JSON.stringify(sessionPolicy({ access: "read", destination: VEND_SETTINGS.destinations[1], prefix: "reporting" })),
      DurationSeconds: 3600,
    }]);
    expect(assumeRoleCalls()[0]).not.toHaveProperty("TransitiveTagKeys");
  });

  test("asks for 900 s by default, for a user too, with its own prefix and no purpose tag", async () => {
    await vend(ALICE, { destination: "archive", access: "write" });
    const [call] = assumeRoleCalls();
    expect(call).toEqual(expect.objectContaining({ SourceIdentity: "alice@111111111111", DurationSeconds: 900, Tags: [{ Key: "caller", Value: ALICE }] }));
    expect(JSON.parse(call.Policy ?? "").Statement[1].Resource).toBe("arn:aws:s3:::wd-records-b/records/v1/alice/*");
  });

  test("a caller's configured prefix and maximum session apply", async () => {
    await vend(INGEST_SESSION, { destination: "analytics", access: "write", durationSeconds: 1800 });
    expect(JSON.parse(assumeRoleCalls()[0].Policy ?? "").Statement[1].Resource).toBe("arn:aws:s3:::wd-records-a/records/ingest/v2/*");
    const tooLong = await vend(INGEST_SESSION, { destination: "analytics", access: "write", durationSeconds: 1801 });
    expect([tooLong.statusCode, errorOf(tooLong)]).toEqual([400, "durationSeconds must be at most 1800 for this caller, got 1801"]);
  });

  test("the caller's STS identifiers fit 2-64 characters; tag values keep to the allowed characters", () => {
    const long = "r".repeat(60);
    expect(callerIdentifier(`arn:aws:sts::111111111111:assumed-role/${long}/s1`)).toBe(long);
    expect(callerIdentifier("arn:aws:iam::111111111111:user/a")).toBe("a@111111111111");
    expect(tagValue("arn:aws:sts::111111111111:assumed-role/a,b/s")).toBe("arn:aws:sts::111111111111:assumed-role/a_b/s");
    expect(tagValue(`arn:aws:iam::111111111111:user/${"p/".repeat(200)}x`)).toHaveLength(256);
  });
});

describe("vendCredentials refuses, vending nothing", () => {
  test.each<[string, string | undefined, unknown, number, RegExp]>([
    ["an unsigned request", undefined, { destination: "analytics", access: "read" }, 403, /carries no IAM identity/],
    ["an unknown caller", STRANGER_SESSION, { destination: "analytics", access: "read" }, 403, /^arn:aws:sts::111111111111:assumed-role\/intruder\/session is not a caller of this vending function$/],
    ["an unknown caller naming a known one in the body", STRANGER_SESSION, { destination: "analytics", access: "read", userArn: REPORTING_SESSION }, 403, /intruder\/session is not a caller/],
    ["a destination not granted", ALICE, { destination: "analytics", access: "write" }, 403, /^destination "analytics" is not granted: arn:aws:iam::111111111111:user\/alice may ask for write access to archive$/],
    ["an access not granted", REPORTING_SESSION, { destination: "archive", access: "read-write" }, 403, /^access "read-write" is not granted: .*reporting\/dashboard may ask for read access to analytics, archive$/],
    ["a write for a reader", REPORTING_SESSION, { destination: "analytics", access: "write" }, 403, /^access "write" is not granted/],
    ["a malformed request", REPORTING_SESSION, { destination: "analytics" }, 400, /^access must be "read", "write", "read-write", got nothing$/],
    ["a body that is not JSON", REPORTING_SESSION, "{", 400, /^the body must be JSON/],
  ])("%s: %d", async (_name, userArn, body, statusCode, message) => {
    const response = await vend(userArn, body);
    expect(response.statusCode).toBe(statusCode);
    expect(errorOf(response)).toMatch(message);
    expect(assumeRoleCalls()).toHaveLength(0);
  });

  test("a read-write caller may ask for read or write alone", async () => {
    for (const access of ["read", "write", "read-write"]) {
      expect((await vend(INGEST_SESSION, { destination: "analytics", access })).statusCode).toBe(200);
    }
  });

  test("AssumeRole denied: 502 naming the role and what its trust must allow", async () => {
    sts.on(AssumeRoleCommand).rejects(new STSServiceException({ name: "AccessDenied", $fault: "client", $metadata: {}, message: "not authorized to perform: sts:TagSession" }));
    const response = await vend(REPORTING_SESSION, { destination: "analytics", access: "read" });
    expect(response.statusCode).toBe(502);
    expect(errorOf(response)).toMatch(/^AssumeRole on arn:aws:iam::222222222222:role\/vending was denied: check that the role's trust policy names the vend function's execution role and allows sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession/);
    expect(errorOf(response)).toMatch(/\(not authorized to perform: sts:TagSession\)$/);
  });

  test("another AWS error: 502 with its name", async () => {
    sts.on(AssumeRoleCommand).rejects(new STSServiceException({ name: "RegionDisabledException", $fault: "client", $metadata: {}, message: "STS is not activated in this region" }));
    const response = await vend(REPORTING_SESSION, { destination: "analytics", access: "read" });
    expect([response.statusCode, errorOf(response)]).toEqual([502, "AssumeRole on arn:aws:iam::222222222222:role/vending failed with RegionDisabledException: STS is not activated in this region"]);
  });
});

describe("the cache of vended credentials", () => {
  const read = { destination: "analytics", access: "read" };

  test("200 requests of one caller, one after another, cost one AssumeRole", async () => {
    for (let request = 0; request < 200; request += 1) {
      clock += 1000;
      expect(JSON.parse((await vend(REPORTING_SESSION, read)).body).AccessKeyId).toBe("ASIA1");
    }
    expect(assumeRoleCalls()).toHaveLength(1);
  });

  test("200 concurrent requests share one AssumeRole", async () => {
    const responses = await Promise.all(Array.from({ length: 200 }, () => vend(REPORTING_SESSION, read)));
    expect(new Set(responses.map((response) => JSON.parse(response.body).AccessKeyId))).toEqual(new Set(["ASIA1"]));
    expect(assumeRoleCalls()).toHaveLength(1);
  });

  test("credentials are vended anew once they expire within five minutes", async () => {
    await vend(REPORTING_SESSION, read);
    clock = START + 900_000 - REFRESH_BEFORE_EXPIRY_MS - 1;
    expect(JSON.parse((await vend(REPORTING_SESSION, read)).body).AccessKeyId).toBe("ASIA1");
    clock += 1;
    expect(JSON.parse((await vend(REPORTING_SESSION, read)).body).AccessKeyId).toBe("ASIA2");
    expect(assumeRoleCalls()).toHaveLength(2);
  });

  test.each<[string, [string, object], [string, object]]>([
    ["access", [INGEST_SESSION, read], [INGEST_SESSION, { ...read, access: "write" }]],
    ["purpose", [REPORTING_SESSION, read], [REPORTING_SESSION, { ...read, purpose: "audit" }]],
    ["destination", [REPORTING_SESSION, read], [REPORTING_SESSION, { ...read, destination: "archive" }]],
    ["caller session", [REPORTING_SESSION, read], ["arn:aws:sts::111111111111:assumed-role/reporting/other-session", read]],
  ])("a different %s gets its own entry", async (_name, first, second) => {
    await vend(...first);
    await vend(...second);
    expect(assumeRoleCalls()).toHaveLength(2);
    expect(deps.cache.size).toBe(2);
  });

  test("a failed AssumeRole is not cached", async () => {
    sts.on(AssumeRoleCommand).rejectsOnce(new STSServiceException({ name: "AccessDenied", $fault: "client", $metadata: {}, message: "denied" }));
    expect((await vend(REPORTING_SESSION, read)).statusCode).toBe(502);
    answerWithCredentials();
    expect((await vend(REPORTING_SESSION, read)).statusCode).toBe(200);
    expect(assumeRoleCalls()).toHaveLength(2);
  });

  test("holds a bounded number of entries, dropping the oldest", async () => {
    deps = { ...deps, cache: new CredentialCache(3) };
    for (const purpose of ["a1", "a2", "a3", "a4"]) await vend(REPORTING_SESSION, { ...read, purpose });
    expect(deps.cache.size).toBe(3);
    await vend(REPORTING_SESSION, { ...read, purpose: "a4" });
    await vend(REPORTING_SESSION, { ...read, purpose: "a1" });
    expect(assumeRoleCalls()).toHaveLength(5);
  });
});
