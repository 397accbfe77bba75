import { AssumeRoleCommand, STSServiceException } from "@aws-sdk/client-sts";
import { CredentialCache, REFRESH_BEFORE_EXPIRY_MS } from "../functions/vend/vend";
import { INGEST_SESSION, REPORTING_SESSION, START, vendHarness } from "./vend-fixtures";

const harness = vendHarness();
const { sts, vend, assumeRoleCalls, keyOf } = harness;
const read = { destination: "analytics", access: "read" };

describe("the cache of vended credentials", () => {
  test("200 requests of one caller, one after another, cost one AssumeRole", async () => {
    for (let request = 0; request < 200; request += 1) {
      harness.clock += 1000;
      expect(keyOf(await vend(REPORTING_SESSION, read))).toBe("ASIA1");
    }
    expect(assumeRoleCalls()).toHaveLength(1);
  });

  test("200 concurrent requests share one AssumeRole", async () => {
    const responses = await Promise.all(Array.from({ length: 200 }, () => vend(REPORTING_SESSION, read)));
    expect(new Set(responses.map(keyOf))).toEqual(new Set(["ASIA1"]));
    expect(assumeRoleCalls()).toHaveLength(1);
  });

  test("15-minute credentials are vended anew once they live less than 10 minutes", async () => {
    await vend(REPORTING_SESSION, read);
    harness.clock = START + REFRESH_BEFORE_EXPIRY_MS;
    expect(keyOf(await vend(REPORTING_SESSION, read))).toBe("ASIA1");
    harness.clock += 1;
    expect(keyOf(await vend(REPORTING_SESSION, read))).toBe("ASIA2");
    expect(assumeRoleCalls()).toHaveLength(2);
  });

  test("a cached 15-minute credential does not answer a 1-hour request", async () => {
    const hour = { ...read, durationSeconds: 3600 };
    expect(keyOf(await vend(REPORTING_SESSION, read))).toBe("ASIA1");
    const answer = JSON.parse((await vend(REPORTING_SESSION, hour)).body);
    expect(answer.AccessKeyId).toBe("ASIA2");
    expect(Date.parse(answer.Expiration)).toBe(START + 3600_000);
    expect(assumeRoleCalls().map((call) => call.DurationSeconds)).toEqual([900, 3600]);
  });

  test("a cached credential answers while its remaining life covers the asked duration less five minutes", async () => {
    const hour = { ...read, durationSeconds: 3600 };
    await vend(REPORTING_SESSION, hour);
    // 50 minutes left: enough for a 15-minute request, not for another hour.
    harness.clock = START + 600_000;
    expect(keyOf(await vend(REPORTING_SESSION, read))).toBe("ASIA1");
    expect(keyOf(await vend(REPORTING_SESSION, { ...read, durationSeconds: 3300 }))).toBe("ASIA1");
    expect(keyOf(await vend(REPORTING_SESSION, { ...read, durationSeconds: 3301 }))).toBe("ASIA2");
    expect(harness.deps.cache.size).toBe(1);
  });

  test("a pending 15-minute AssumeRole is not shared with a concurrent 1-hour request", async () => {
    const [quarter, hour] = await Promise.all([
      vend(REPORTING_SESSION, read),
      vend(REPORTING_SESSION, { ...read, durationSeconds: 3600 }),
    ]);
    expect([keyOf(quarter), keyOf(hour)]).toEqual(["ASIA1", "ASIA2"]);
    expect(Date.parse(JSON.parse(hour.body).Expiration)).toBe(START + 3600_000);
  });

  const otherSession = "arn:aws:sts::111111111111:assumed-role/reporting/other-session";
  test.each<[string, [string, object], [string, object]]>([
    ["access", [INGEST_SESSION, read], [INGEST_SESSION, { ...read, access: "write" }]],
    ["purpose", [REPORTING_SESSION, read], [REPORTING_SESSION, { ...read, purpose: "audit" }]],
    ["destination", [REPORTING_SESSION, read], [REPORTING_SESSION, { ...read, destination: "archive" }]],
    ["caller session", [REPORTING_SESSION, read], [otherSession, read]],
  ])("a different %s gets its own entry", async (_name, first, second) => {
    expect(keyOf(await vend(...first))).toBe("ASIA1");
    expect(keyOf(await vend(...second))).toBe("ASIA2");
    expect(keyOf(await vend(...first))).toBe("ASIA1");
    expect(assumeRoleCalls()).toHaveLength(2);
    expect(harness.deps.cache.size).toBe(2);
  });

  test("a failed AssumeRole is not cached", async () => {
    const denied = new STSServiceException({
      name: "AccessDenied",
      $fault: "client",
      $metadata: {},
      message: "denied",
    });
    sts.on(AssumeRoleCommand).rejectsOnce(denied);
    expect((await vend(REPORTING_SESSION, read)).statusCode).toBe(502);
    harness.answerWithCredentials();
    expect((await vend(REPORTING_SESSION, read)).statusCode).toBe(200);
    expect(assumeRoleCalls()).toHaveLength(2);
  });

  test("holds a bounded number of entries, dropping the oldest", async () => {
    harness.deps = { ...harness.deps, cache: new CredentialCache(3) };
    for (const purpose of ["a1", "a2", "a3", "a4"]) await vend(REPORTING_SESSION, { ...read, purpose });
    expect(harness.deps.cache.size).toBe(3);
    await vend(REPORTING_SESSION, { ...read, purpose: "a4" });
    await vend(REPORTING_SESSION, { ...read, purpose: "a1" });
    expect(assumeRoleCalls()).toHaveLength(5);
  });
});
