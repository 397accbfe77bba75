import type {
  AssumeRoleCommand,
  ServiceInputTypes,
  ServiceOutputTypes,
  STSClient,
  STSClientResolvedConfig,
} from "@aws-sdk/client-sts";
import { type AwsStub, mockClient } from "aws-sdk-client-mock";
import { AssumeRoleRetryStrategy } from "../functions/shared/assume-role-retry";
import { ASSUME_ROLE_MAX_ATTEMPTS, assumeRoleBackoffMs } from "../functions/vend/assume-role";
import { vendEnvironment } from "../functions/vend/environment";
import type * as Handler from "../functions/vend/handler";
import { REPORTING_SESSION, STRANGER_SESSION, urlEvent, VEND_SETTINGS } from "./vend-fixtures";

type Sts = typeof import("@aws-sdk/client-sts");

/**
 * The handler module, loaded afresh with this environment as a new execution environment would, and a mock of the
 * STS client class that module uses (its own copy of the SDK, so the mock is made in the same module registry).
 */
function loadHandler(env: Record<string, string>) {
  const saved = process.env;
  process.env = { ...saved, ...env };
  try {
    let loaded:
      | {
          handler: typeof Handler.handler;
          sts: AwsStub<ServiceInputTypes, ServiceOutputTypes, STSClientResolvedConfig>;
          AssumeRole: typeof AssumeRoleCommand;
        }
      | undefined;
    jest.isolateModules(() => {
      const { STSClient: Client, AssumeRoleCommand: Command } = require("@aws-sdk/client-sts") as Sts;
      const sts = mockClient(Client);
      sts.on(Command).resolves({
        Credentials: {
          AccessKeyId: "ASIA1",
          SecretAccessKey: "secret",
          SessionToken: "token",
          Expiration: new Date(Date.now() + 3_600_000),
        },
      });
      loaded = { sts, AssumeRole: Command, handler: (require("../functions/vend/handler") as typeof Handler).handler };
    });
    return loaded as NonNullable<typeof loaded>;
  } finally {
    process.env = saved;
  }
}

describe("the vend handler", () => {
  test("vends with settings read once, and serves repeats from its module-scope cache", async () => {
    const { handler, sts, AssumeRole } = loadHandler(vendEnvironment(VEND_SETTINGS));
    for (let request = 0; request < 5; request += 1) {
      const response = await handler(urlEvent(REPORTING_SESSION, { destination: "analytics", access: "read" }));
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toEqual(
        expect.objectContaining({ Version: 1, AccessKeyId: "ASIA1", SessionToken: "token" }),
      );
    }
    expect(sts.commandCalls(AssumeRole)).toHaveLength(1);
    expect(sts.commandCalls(AssumeRole)[0].args[0].input).toEqual(
      expect.objectContaining({ RoleArn: "arn:aws:iam::222222222222:role/vending" }),
    );
  });

  test("calls STS in the configured region [aws-rule sts-regional-endpoint]", async () => {
    const { handler, sts, AssumeRole } = loadHandler(vendEnvironment({ ...VEND_SETTINGS, stsRegion: "eu-west-1" }));
    await handler(urlEvent(REPORTING_SESSION, { destination: "analytics", access: "read" }));
    const client = sts.commandCalls(AssumeRole)[0].thisValue as STSClient;
    expect(await client.config.region()).toBe("eu-west-1");
  });

  test("refuses an unknown caller with 403, calling nothing", async () => {
    const { handler, sts, AssumeRole } = loadHandler(vendEnvironment(VEND_SETTINGS));
    const response = await handler(urlEvent(STRANGER_SESSION, { destination: "analytics", access: "read" }));
    expect(response).toEqual({
      statusCode: 403,
      headers: expect.objectContaining({ "content-type": "application/json" }),
      body: expect.stringMatching(/is not a caller/),
    });
    expect(sts.commandCalls(AssumeRole)).toHaveLength(0);
  });

  test("fails to load with a malformed environment, naming the variable", () => {
    expect(() => loadHandler({ ...vendEnvironment(VEND_SETTINGS), STS_REGION: "nowhere" })).toThrow(
      /STS_REGION must be an AWS region/,
    );
  });
});

describe("AssumeRoleRetryStrategy", () => {
  test("retries AccessDenied (IAM is eventually consistent) with short waits [aws-rule iam-eventual-consistency]", async () => {
    const strategy = new AssumeRoleRetryStrategy(ASSUME_ROLE_MAX_ATTEMPTS, assumeRoleBackoffMs);
    const token = await strategy.acquireInitialRetryToken("sts");
    const retried = await strategy.refreshRetryTokenForRetry(token, {
      errorType: "CLIENT_ERROR",
      error: Object.assign(new Error("denied"), { name: "AccessDenied" }),
    } as never);
    expect(retried.getRetryCount()).toBe(1);
    await expect(
      strategy.refreshRetryTokenForRetry(token, {
        errorType: "CLIENT_ERROR",
        error: Object.assign(new Error("bad"), { name: "ValidationError" }),
      } as never),
    ).rejects.toThrow();
    expect([1, 2, 3].map(assumeRoleBackoffMs)).toEqual([500, 1000, 2000]);
    expect(ASSUME_ROLE_MAX_ATTEMPTS).toBe(4);
  });
});
