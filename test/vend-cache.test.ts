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

  test("credentials are vended anew once they expire within five minutes", async () => {
    await vend(REPORTING_SESSION, read);
    harness.clock = START + 900_000 - REFRESH_BEFORE_EXPIRY_MS - 1;
    expect(keyOf(await vend(REPORTING_SESSION, read))).toBe("ASIA1");
    harness.clock += 1;
    expect(keyOf(await vend(REPORTING_SESSION, read))).toBe("ASIA2");
    expect(assumeRoleCalls()).toHaveLength(2);
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
