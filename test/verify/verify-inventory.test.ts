import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import type { VerifyContext } from "../../scripts/verify/context";
import type { Deployment } from "../../scripts/verify/deployment";
import { checkInventory } from "../../scripts/verify/inventory-check";
import { LambdaInvoker } from "../../scripts/verify/invoker";
import { resolveConfig } from "../../stacks/config";

const lambda = mockClient(LambdaClient);
const s3 = mockClient(S3Client);
const REPORT = "s3://inventory-reports-111111111111-us-east-1/inventory/2026-05-01T12-00-00-000Z-abc123/";
const ROWS = [
  { type: "lambda-function", account: "444444444444", region: "us-east-1", name: "api" },
  { type: "status", account: "444444444444", region: "us-east-1", status: "ok" },
];

const context = (): VerifyContext => ({
  config: resolveConfig({
    source: { accountId: "111111111111", region: "us-east-1" },
    destination: { accountId: "222222222222", region: "us-east-1" },
    inventory: { accountIds: ["444444444444"], regions: ["us-east-1"] },
  }),
  deployment: { outputs: { "inventory-function-name": "cross-account-inventory" } } as unknown as Deployment,
  invoker: new LambdaInvoker(new LambdaClient({ region: "us-east-1" }), "us-east-1"),
  deployCredentials: () => ({ accessKeyId: "AKIADEPLOY", secretAccessKey: "secret" }),
  clientSettings: (region, credentials) => ({ region, credentials }),
  now: () => new Date(),
});

const ran = (functions: number) =>
  lambda.on(InvokeCommand).resolves({
    StatusCode: 200,
    Payload: Buffer.from(
      JSON.stringify({ reportUri: REPORT, functions, statuses: { ok: 1, "access-denied": 0 } }),
    ) as never,
  });

beforeEach(() => {
  lambda.reset();
  s3.reset();
  s3.on(ListObjectsV2Command).resolves({
    Contents: [{ Key: "inventory/2026-05-01T12-00-00-000Z-abc123/part-00001.jsonl" }],
  });
  s3.on(GetObjectCommand).resolves({
    Body: { transformToString: async () => `${ROWS.map((row) => JSON.stringify(row)).join("\n")}\n` } as never,
  });
});

describe("the inventory check", () => {
  test("one run of the deployed function, then its report listed and read with the source account's credentials", async () => {
    ran(1);
    const results = await checkInventory(context());
    expect(results).toEqual([
      {
        check: "one run of the inventory function",
        status: "ok",
        detail: `account 444444444444 in us-east-1: 1 functions, targets 1 ok; ${REPORT}`,
      },
      {
        check: "the report is found and read",
        status: "ok",
        detail: `${REPORT}: 1 part(s), 2 rows, 1 functions`,
      },
    ]);
    // The run is narrowed to one of the inventory's accounts and regions, never the whole organization.
    const payload = lambda.commandCalls(InvokeCommand)[0].args[0].input.Payload as Uint8Array;
    expect(JSON.parse(Buffer.from(payload).toString())).toEqual({
      only: { accountId: "444444444444", region: "us-east-1" },
    });
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input).toEqual({
      Bucket: "inventory-reports-111111111111-us-east-1",
      Prefix: "inventory/2026-05-01T12-00-00-000Z-abc123/",
    });
  });

  test("a report that holds other than the run counted fails naming both counts", async () => {
    ran(3);
    const [, report] = await checkInventory(context());
    expect(report).toEqual({
      check: "the report is found and read",
      status: "failed",
      detail: `${REPORT} lists 1 functions, the run counted 3`,
    });
  });

  test("a run that fails (the function's error) stops the check there, naming the function", async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: "Unhandled",
      Payload: Buffer.from(JSON.stringify({ errorType: "AccessDenied", errorMessage: "not authorized" })) as never,
    });
    const results = await checkInventory(context());
    expect(results).toHaveLength(1);
    expect(results[0].status).toBe("failed");
    expect(results[0].detail).toContain("cross-account-inventory failed (Unhandled)");
    expect(s3.calls()).toHaveLength(0);
  });

  test("a config without an inventory is skipped, saying so", async () => {
    const withoutInventory = {
      ...context(),
      config: resolveConfig({
        source: { accountId: "111111111111", region: "us-east-1" },
        destination: { accountId: "222222222222", region: "us-east-1" },
      }),
    };
    expect(await checkInventory(withoutInventory)).toEqual([
      { check: "inventory", status: "skipped", detail: "the config has no inventory section" },
    ]);
    expect(lambda.calls()).toHaveLength(0);
  });
});
