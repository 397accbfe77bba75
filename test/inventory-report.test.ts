import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { runInventory } from "../functions/inventory/inventory";
import { newRunId, partKey, ReportWriter } from "../functions/inventory/report";
import { assumed, awsError, lambdaFunction } from "./inventory-fixtures";

const s3Mock = mockClient(S3Client);
const stsMock = mockClient(STSClient);
const lambdaMock = mockClient(LambdaClient);
const s3 = new S3Client({ region: "us-east-1" });
const LOCATION = { bucket: "reports", prefix: "inventory", runId: "run-1" };
const puts = () => s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input);

beforeEach(() => {
  s3Mock.reset();
  stsMock.reset();
  lambdaMock.reset();
  s3Mock.on(PutObjectCommand).resolves({});
});

describe("ReportWriter", () => {
  test("puts JSON Lines parts every N lines and a summary; holds at most N lines in memory", async () => {
    const writer = new ReportWriter(s3, LOCATION, { maxLines: 100, maxBytes: 1_000_000 });
    let mostBuffered = 0;
    for (let index = 0; index < 250; index += 1) {
      await writer.write({ type: "lambda-function", index });
      mostBuffered = Math.max(mostBuffered, writer.bufferedLines);
    }
    const uri = await writer.close({ runId: "run-1" });
    expect(uri).toBe("s3://reports/inventory/run-1/");
    expect(mostBuffered).toBe(99);
    expect(puts().map(({ Key }) => Key)).toEqual([
      "inventory/run-1/part-00001.jsonl",
      "inventory/run-1/part-00002.jsonl",
      "inventory/run-1/part-00003.jsonl",
      "inventory/run-1/summary.json",
    ]);
    const lines = puts()
      .slice(0, 3)
      .flatMap(({ Body }) => String(Body).trimEnd().split("\n"));
    expect(lines.map((line) => JSON.parse(line).index)).toEqual(Array.from({ length: 250 }, (_, index) => index));
    expect(JSON.parse(String(puts()[3].Body))).toEqual({ runId: "run-1", parts: 3, lines: 250 });
  });

  test("starts a part when the bytes limit is reached before the lines limit", async () => {
    const writer = new ReportWriter(s3, LOCATION, { maxLines: 1000, maxBytes: 100 });
    for (let index = 0; index < 10; index += 1) await writer.write({ padding: "x".repeat(40) });
    await writer.close({});
    expect(puts().filter(({ Key }) => Key?.endsWith(".jsonl"))).toHaveLength(5);
  });

  test("fails naming the part it could not put", async () => {
    s3Mock.on(PutObjectCommand).rejects(awsError("AccessDenied", "no"));
    const writer = new ReportWriter(s3, LOCATION, { maxLines: 1, maxBytes: 1000 });
    await expect(writer.write({})).rejects.toThrow(
      "could not put the inventory report part s3://reports/inventory/run-1/part-00001.jsonl: AccessDenied: no",
    );
  });

  test("names parts and runs so they sort", () => {
    expect(partKey({ ...LOCATION, prefix: "" }, 12)).toBe("run-1/part-00012.jsonl");
    expect(newRunId(new Date("2025-06-01T12:00:00.000Z"), () => 0.5)).toBe("2025-06-01T12-00-00-000Z-800000");
  });
});

describe("runInventory", () => {
  test("writes functions and statuses to the report and returns the summary", async () => {
    stsMock.on(AssumeRoleCommand).callsFake((input) => {
      if (input.RoleArn?.includes("333333333333")) throw awsError("AccessDenied", "not authorized");
      return assumed(input);
    });
    lambdaMock.on(ListFunctionsCommand).resolves({ Functions: [lambdaFunction("a"), lambdaFunction("b")] });
    let clock = Date.parse("2025-06-01T12:00:00.000Z");
    const summary = await runInventory(
      { sts: new STSClient({ region: "us-east-1" }), s3 },
      {
        targets: { organizationalUnitIds: [], accountIds: ["222222222222", "333333333333"] },
        regions: ["us-east-1", "eu-west-1"],
        roleName: "CrossAccountListFunctionsRole",
        reportBucket: "reports",
        reportPrefix: "inventory",
        concurrency: 4,
        stsRegion: "us-east-1",
        deadlineMarginSeconds: 30,
      },
      { runId: "run-2", now: () => (clock += 1000) },
    );
    expect(summary).toEqual({
      runId: "run-2",
      startedAt: "2025-06-01T12:00:01.000Z",
      finishedAt: expect.any(String),
      accounts: 2,
      targets: 4,
      statuses: {
        ok: 2,
        "access-denied": 2,
        "role-missing": 0,
        "region-disabled": 0,
        throttled: 0,
        error: 0,
        "not-scanned": 0,
        skipped: 0,
      },
      functions: 4,
      reportUri: "s3://reports/inventory/run-2/",
    });
    const [part, summaryObject] = puts();
    const lines = String(part.Body)
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.filter((line) => line.type === "lambda-function")).toHaveLength(4);
    expect(lines.filter((line) => line.type === "status")).toHaveLength(4);
    expect(String(part.Body)).not.toContain("hunter2");
    expect(JSON.parse(String(summaryObject.Body))).toMatchObject({ runId: "run-2", functions: 4, parts: 1, lines: 8 });
  });
});
