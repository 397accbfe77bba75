import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { awsError } from "./inventory-fixtures";
import { runInventoryCliCaptured } from "./run-inventory-cli";

const lambdaMock = mockClient(LambdaClient);
const s3Mock = mockClient(S3Client);

const BUCKET = "inventory-reports-123456789012-eu-west-1";
const RUN_ID = "2026-12-06T20-00-00-000Z-a1b2c3";
const SUMMARY = {
  runId: RUN_ID,
  startedAt: "2026-12-06T20:00:00.000Z",
  finishedAt: "2026-12-06T20:01:00.000Z",
  accounts: 2,
  targets: 2,
  statuses: { ok: 1, "access-denied": 1, "role-missing": 0 },
  functions: 2,
  reportUri: `s3://${BUCKET}/inventory/${RUN_ID}/`,
};
const functionRow = (name: string, runtime: string) => ({
  type: "lambda-function",
  account: "222222222222",
  region: "eu-west-1",
  name,
  arn: `arn:aws:lambda:eu-west-1:222222222222:function:${name}`,
  runtime,
  architectures: ["arm64"],
  memorySize: 128,
  lastModified: "2025-01-01T00:00:00.000+0000",
});
const PARTS: Record<string, string> = {
  "summary.json": JSON.stringify({ ...SUMMARY, parts: 2, lines: 4 }),
  "part-00001.jsonl": [
    functionRow("old-api", "nodejs16.x"),
    functionRow("new-api", "nodejs22.x"),
    { type: "status", account: "222222222222", region: "eu-west-1", lister: "lambda-function", status: "ok", rows: 2 },
  ]
    .map((row) => `${JSON.stringify(row)}\n`)
    .join(""),
  "part-00002.jsonl": `${JSON.stringify({
    type: "status",
    account: "333333333333",
    region: "*",
    lister: "*",
    status: "access-denied",
    phase: "assume-role",
    rows: 0,
    message: "cannot assume arn:aws:iam::333333333333:role/CrossAccountListFunctionsRole: AccessDenied",
  })}\n`,
};
const ARN = "arn:aws:lambda:eu-west-1:123456789012:function:cross-account-inventory";
const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
/** A payload as the Lambda client returns it (a Uint8Array that can say itself as text). */
const answer = (value: unknown) => Object.assign(payload(value), { transformToString: () => JSON.stringify(value) });

beforeEach(() => {
  lambdaMock.reset();
  s3Mock.reset();
  lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: answer(SUMMARY) });
  s3Mock.on(GetObjectCommand).callsFake(({ Bucket, Key }) => {
    const text = Bucket === BUCKET ? PARTS[String(Key).replace(`inventory/${RUN_ID}/`, "")] : undefined;
    if (text === undefined) throw awsError("NoSuchKey", "The specified key does not exist.");
    return { Body: { transformToString: async () => text } };
  });
});

describe("npm run inventory -- --via-function", () => {
  test("invokes the deployed function once, synchronously, and prints its report like a scan (exit 3: an account refused)", async () => {
    const { code, stdout, stderr } = await runInventoryCliCaptured(["--via-function", ARN, "--runtime", "nodejs16.x"]);
    expect(lambdaMock.commandCalls(InvokeCommand).map((call) => call.args[0].input)).toEqual([
      { FunctionName: ARN, InvocationType: "RequestResponse", Payload: payload({}) },
    ]);
    expect(await lambdaMock.call(0).thisValue.config.region()).toBe("eu-west-1");
    expect(s3Mock.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key)).toEqual([
      `inventory/${RUN_ID}/summary.json`,
      `inventory/${RUN_ID}/part-00001.jsonl`,
      `inventory/${RUN_ID}/part-00002.jsonl`,
    ]);
    expect(stdout.split("\n")).toEqual([
      expect.stringMatching(/^ACCOUNT\s+REGION\s+FUNCTION\s+RUNTIME/),
      expect.stringMatching(/^222222222222\s+eu-west-1\s+old-api\s+nodejs16\.x\s+arm64\s+128\s+2025-01-01T00:00:00$/),
      "",
    ]);
    expect(stderr).toContain(`run ${RUN_ID}: 2 accounts, 1 ok, 1 access-denied; report ${SUMMARY.reportUri}\n`);
    expect(stderr).toContain("not listed completely:\n333333333333 * access-denied: cannot assume");
    expect(code).toBe(3);
  });

  test("jsonl prints every row of every part", async () => {
    const { code, stdout } = await runInventoryCliCaptured(["--via-function", ARN, "--format", "jsonl"]);
    expect(stdout).toBe(PARTS["part-00001.jsonl"] + PARTS["part-00002.jsonl"]);
    expect(code).toBe(3);
  });

  test.each([
    [
      "Invoke is refused",
      () =>
        lambdaMock
          .on(InvokeCommand)
          .rejects(
            awsError(
              "AccessDeniedException",
              "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: lambda:InvokeFunction",
            ),
          ),
      "lambda:InvokeFunction on cross-account-inventory in us-east-1 was refused (User: arn:aws:iam::123456789012:user/alice is not authorized to perform: lambda:InvokeFunction): your identity needs lambda:InvokeFunction on that function, or list with --role-name and a role that trusts you",
    ],
    [
      "the function is not deployed there",
      () =>
        lambdaMock
          .on(InvokeCommand)
          .rejects(awsError("ResourceNotFoundException", "Function not found: cross-account-inventory")),
      "there is no function cross-account-inventory in us-east-1 (Function not found: cross-account-inventory): deploy the stack with an inventory block",
    ],
    [
      "the function fails",
      () =>
        lambdaMock.on(InvokeCommand).resolves({
          StatusCode: 200,
          FunctionError: "Unhandled",
          Payload: answer({ errorType: "OrganizationalUnitError", errorMessage: "ou-ab12-cdef3456 is gone" }),
        }),
      "the inventory function cross-account-inventory failed (Unhandled): OrganizationalUnitError: ou-ab12-cdef3456 is gone",
    ],
    [
      "the report may not be read",
      () => s3Mock.on(GetObjectCommand).rejects(awsError("AccessDenied", "Access Denied")),
      `could not read the inventory report s3://${BUCKET}/inventory/${RUN_ID}/summary.json: AccessDenied: Access Denied: reading the report needs s3:GetObject on arn:aws:s3:::${BUCKET}/inventory/${RUN_ID}/summary.json`,
    ],
    [
      "the answer names no report",
      () => lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: answer({ runId: RUN_ID }) }),
      "the inventory function returned no report location of its run (reportUri s3://<bucket>/<prefix>/<runId>/)",
    ],
  ])("fails when %s, naming the function, the region or the object and what to do", async (_name, arrange, message) => {
    arrange();
    await expect(runInventoryCliCaptured(["--via-function", "cross-account-inventory"])).rejects.toThrow(message);
  });

  test("the client makes one attempt: a retried Invoke would start a second run", async () => {
    lambdaMock.on(InvokeCommand).rejects(awsError("ServiceException", "Lambda is unavailable"));
    await expect(runInventoryCliCaptured(["--via-function", "cross-account-inventory"])).rejects.toThrow(
      "invoking cross-account-inventory in us-east-1 failed: ServiceException: Lambda is unavailable",
    );
    // The mock answers in place of the client's middleware, so its retry setting is read, not exercised.
    expect(await lambdaMock.call(0).thisValue.config.maxAttempts()).toBe(1);
  });
});
