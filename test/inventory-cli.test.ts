import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { parseArguments } from "../scripts/inventory";
import { runtimeMatcher } from "../scripts/inventory/output";
import { UsageError } from "../scripts/shared/process";
import { assumed, awsError, lambdaFunction } from "./inventory-fixtures";
import { runInventoryCliCaptured } from "./run-inventory-cli";

/** A role that trusts the caller in each account: what a person passes. */
const ROLE = ["--role-name", "OrganizationAccountAccessRole"];
const stsMock = mockClient(STSClient);
const lambdaMock = mockClient(LambdaClient);
const s3Mock = mockClient(S3Client);

beforeEach(() => {
  stsMock.reset();
  lambdaMock.reset();
  s3Mock.reset();
  stsMock.on(AssumeRoleCommand).callsFake((input) => {
    if (input.RoleArn?.includes("333333333333")) throw awsError("AccessDenied", "not authorized");
    return assumed(input);
  });
  lambdaMock.on(ListFunctionsCommand).resolves({
    Functions: [
      lambdaFunction("old-api", { Runtime: "nodejs16.x" }),
      lambdaFunction("new-api", { Runtime: "nodejs22.x" }),
      lambdaFunction("worker", { Runtime: "python3.8", Architectures: ["x86_64"] }),
    ],
  });
});

describe("npm run inventory", () => {
  test("parses targets, regions and options, with defaults", () => {
    expect(
      parseArguments(["--accounts", "222222222222,333333333333", "--role-name", "OrganizationAccountAccessRole"]),
    ).toEqual({
      mode: "scan",
      targets: { organizationalUnitIds: [], accountIds: ["222222222222", "333333333333"] },
      regions: "enabled",
      roleName: "OrganizationAccountAccessRole",
      concurrency: 8,
      format: "table",
      stsRegion: "us-east-1",
    });
    expect(
      parseArguments(
        [
          "--ous",
          "ou-ab12-11111111",
          "--role-name",
          "OrganizationAccountAccessRole",
          "--regions",
          "us-east-1,eu-west-1",
          "--format",
          "csv",
          "--runtime",
          "nodejs1*",
          "--deadline",
          "60",
        ],
        { AWS_REGION: "eu-west-1" },
      ),
    ).toMatchObject({
      regions: ["us-east-1", "eu-west-1"],
      format: "csv",
      runtimes: ["nodejs1*"],
      deadlineSeconds: 60,
      stsRegion: "eu-west-1",
    });
  });

  test.each([
    ["no target", [], "give --accounts, --ous or both"],
    ["a short account id", ["--accounts", "12345"], '--accounts takes 12-digit account ids, got "12345"'],
    ["a bad OU", ["--ous", "sales"], '--ous takes OU ids (ou-xxxx-yyyyyyyy) or root ids (r-xxxx), got "sales"'],
    [
      "a bad region",
      [...ROLE, "--accounts", "222222222222", "--regions", "us-east-1,moon"],
      '--regions takes "enabled" or regions such as us-east-1,eu-west-1, got "moon"',
    ],
    [
      "an unknown format",
      [...ROLE, "--accounts", "222222222222", "--format", "yaml"],
      '--format must be one of table, jsonl, csv, got "yaml"',
    ],
    [
      "concurrency 0",
      [...ROLE, "--accounts", "222222222222", "--concurrency", "0"],
      '--concurrency must be a whole number from 1 to 64, got "0"',
    ],
    [
      "a bad runtime pattern",
      [...ROLE, "--accounts", "222222222222", "--runtime", "node js"],
      "--runtime takes runtime patterns",
    ],
    [
      "an unknown option",
      [...ROLE, "--accounts", "222222222222", "--profile", "x"],
      'unknown argument "--profile"; allowed: --accounts',
    ],
    ["an option without value", ["--accounts"], "--accounts needs a value"],
    [
      "no role (the inventory's own role trusts only its function)",
      ["--accounts", "222222222222"],
      "say which role to assume in each account: --role-name <a role that trusts you, such as OrganizationAccountAccessRole>, or run the deployed function with --via-function cross-account-inventory (the inventory's own role CrossAccountListFunctionsRole trusts only that function's execution role)",
    ],
    [
      "--via-function with targets",
      ["--via-function", "cross-account-inventory", "--accounts", "222222222222"],
      "--via-function runs the deployed function with the targets, regions and roles of its config: --accounts cannot be combined with it",
    ],
    [
      "--via-function on the emulator",
      ["--via-function", "cross-account-inventory", "--endpoint", "http://127.0.0.1:5000"],
      "--via-function invokes the deployed Lambda function, which the emulator (moto_server) cannot run: against the emulator, list with --role-name instead",
    ],
    [
      "a bad function",
      ["--via-function", "my function"],
      '--via-function takes a function name (such as cross-account-inventory) or a function ARN, got "my function"',
    ],
    [
      "a bad endpoint",
      [...ROLE, "--accounts", "222222222222", "--endpoint", "localhost"],
      "--endpoint must be an http(s) URL",
    ],
  ])("fails on %s, naming the bad value and what is allowed", (_name, args, message) => {
    expect(() => parseArguments(args)).toThrow(UsageError);
    expect(() => parseArguments(args)).toThrow(message);
  });

  test("exits 2 on bad arguments with the reason and the usage on stderr", async () => {
    const { code, stdout, stderr } = await runInventoryCliCaptured(["--accounts", "1"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^--accounts takes 12-digit account ids, got "1"\n\nUsage: npm run inventory/);
  });

  test("prints a table of the functions whose runtime matches, progress and what failed on stderr, exit 3", async () => {
    const { code, stdout, stderr } = await runInventoryCliCaptured([
      "--accounts",
      "222222222222,333333333333",
      "--role-name",
      "OrganizationAccountAccessRole",
      "--regions",
      "us-east-1",
      "--runtime",
      "nodejs1*,python3.?",
    ]);
    expect(stdout.split("\n")).toEqual([
      expect.stringMatching(/^ACCOUNT\s+REGION\s+FUNCTION\s+RUNTIME\s+ARCH\s+MEMORY\s+LAST MODIFIED$/),
      expect.stringMatching(/^222222222222\s+us-east-1\s+old-api\s+nodejs16\.x\s+arm64\s+128\s+2025-01-01T00:00:00$/),
      expect.stringMatching(/^222222222222\s+us-east-1\s+worker\s+python3\.8\s+x86_64/),
      "",
    ]);
    expect(stderr).toContain("222222222222: 1 ok; 3 functions\n");
    expect(stderr).toContain("333333333333: 1 access-denied; 0 functions\n");
    expect(stderr).toMatch(/not listed completely:\n333333333333 us-east-1 access-denied: cannot assume/);
    expect(code).toBe(3);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test("prints JSON Lines with a status line per account and region, and CSV of the functions; exit 0 when all ok", async () => {
    const jsonl = await runInventoryCliCaptured([
      "--accounts",
      "222222222222",
      "--role-name",
      "OrganizationAccountAccessRole",
      "--regions",
      "us-east-1",
      "--format",
      "jsonl",
      "--runtime",
      "nodejs16.x",
    ]);
    expect(jsonl.code).toBe(0);
    expect(
      jsonl.stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      expect.objectContaining({
        type: "lambda-function",
        account: "222222222222",
        region: "us-east-1",
        name: "old-api",
      }),
      {
        type: "status",
        account: "222222222222",
        region: "us-east-1",
        lister: "lambda-function",
        status: "ok",
        rows: 3,
      },
    ]);
    const csv = await runInventoryCliCaptured([
      "--accounts",
      "222222222222",
      "--role-name",
      "OrganizationAccountAccessRole",
      "--regions",
      "us-east-1",
      "--format",
      "csv",
    ]);
    expect(csv.stdout.split("\n")[0]).toBe(
      "account,region,name,runtime,architectures,memorySize,timeout,codeSize,lastModified,packageType,role,arn",
    );
    expect(csv.stdout.split("\n")[1]).toBe(
      "222222222222,us-east-1,old-api,nodejs16.x,arm64,128,3,1024,2025-01-01T00:00:00.000+0000,Zip,arn:aws:iam::222222222222:role/fn,arn:aws:lambda:us-east-1:222222222222:function:old-api",
    );
    expect(csv.stdout.trimEnd().split("\n")).toHaveLength(4);
    expect(jsonl.stdout + csv.stdout).not.toContain("hunter2");
  });

  test("--via-function takes a function name (in the --sts-region) or ARN (in its region), with the output options", () => {
    expect(
      parseArguments(["--via-function", "cross-account-inventory", "--format", "csv"], { AWS_REGION: "eu-west-1" }),
    ).toEqual({
      mode: "via-function",
      functionName: "cross-account-inventory",
      region: "eu-west-1",
      format: "csv",
      stsRegion: "eu-west-1",
    });
    const arn = "arn:aws:lambda:eu-central-1:123456789012:function:cross-account-inventory";
    expect(parseArguments(["--via-function", arn, "--runtime", "nodejs1*"])).toMatchObject({
      functionName: arn,
      region: "eu-central-1",
      runtimes: ["nodejs1*"],
    });
  });

  test("a refused AssumeRole of the inventory's role says it trusts only the function's role, who you are, and what to do", async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({ Arn: "arn:aws:sts::999999999999:assumed-role/Admin/alice" });
    const args = ["--accounts", "222222222222,333333333333", "--regions", "us-east-1"];
    const { code, stderr } = await runInventoryCliCaptured([...args, "--role-name", "CrossAccountListFunctionsRole"]);
    expect(code).toBe(3);
    expect(stderr).toContain(
      "333333333333 us-east-1 access-denied: cannot assume arn:aws:iam::333333333333:role/CrossAccountListFunctionsRole: it is missing or does not trust the caller. AccessDenied: not authorized\n",
    );
    expect(stderr).toContain(
      [
        "AccessDenied on sts:AssumeRole of CrossAccountListFunctionsRole in 1 account (333333333333): CrossAccountListFunctionsRole is the inventory function's role: its trust policy names only the function's execution role (cross-account-inventory), not you (arn:aws:sts::999999999999:assumed-role/Admin/alice).",
        "To list them: pass --role-name with a role that exists in each account and trusts you (OrganizationAccountAccessRole",
        "trusts the management account), or run the deployed function: --via-function cross-account-inventory.",
      ].join("\n"),
    );
    const other = await runInventoryCliCaptured([...args, ...ROLE]);
    expect(other.stderr).toContain(
      "AccessDenied on sts:AssumeRole of OrganizationAccountAccessRole in 1 account (333333333333): OrganizationAccountAccessRole is missing there, or its trust policy does not name you (arn:aws:sts::999999999999:assumed-role/Admin/alice).",
    );
    stsMock.on(AssumeRoleCommand).callsFake(assumed);
    expect((await runInventoryCliCaptured([...args, ...ROLE])).stderr).not.toContain("AccessDenied on sts:AssumeRole");
  });

  test("matches runtimes by glob, never a function without a runtime", () => {
    const matches = runtimeMatcher(["nodejs1*", "python3.?"]);
    expect(["nodejs16.x", "nodejs18.x", "python3.8", "nodejs22.x", "python3.12", "nodejs1"].map(matches)).toEqual([
      true,
      true,
      true,
      false,
      false,
      true,
    ]);
    expect(matches(undefined)).toBe(false);
    expect(runtimeMatcher(["nodejs16.x"])("nodejs16Ax")).toBe(false);
  });
});

describe("inventory handler", () => {
  test("reads its settings once and runs until the function's timeout minus the margin", async () => {
    stsMock.on(AssumeRoleCommand).callsFake(assumed);
    s3Mock.on(PutObjectCommand).resolves({});
    process.env.TARGETS = '{"accountIds":["222222222222"]}';
    process.env.REGIONS = '["us-east-1"]';
    process.env.REPORT_BUCKET = "reports";
    process.env.STS_REGION = "us-east-1";
    const { handler } = await import("../functions/inventory/handler");
    const summary = await handler({}, { getRemainingTimeInMillis: () => 60_000 });
    expect(summary).toMatchObject({ accounts: 1, targets: 1, functions: 3, statuses: { ok: 1 } });
    expect(summary.reportUri).toMatch(/^s3:\/\/reports\/inventory\/\d{4}-\d\d-\d\dT[\d-]+Z-[0-9a-f]{6}\/$/);
    const late = await handler({}, { getRemainingTimeInMillis: () => 10_000 });
    expect(late.statuses).toMatchObject({ ok: 0, "not-scanned": 1 });
  });
});
