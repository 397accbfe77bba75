import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import type { TargetAccounts } from "../functions/inventory/accounts";
import { lambdaFunctions } from "../functions/inventory/listers/lambda-functions";
import { type ScanOptions, type ScanRow, type StatusRow, scan } from "../functions/inventory/scan";
import { accountOf, assumed, lambdaFunction, regionOf } from "./inventory-fixtures";

const stsMock = mockClient(STSClient);
const lambdaMock = mockClient(LambdaClient);
const ec2Mock = mockClient(EC2Client);
const sts = new STSClient({ region: "us-east-1" });

const accounts = (...ids: string[]): TargetAccounts => ({
  accounts: ids.map((accountId) => ({ accountId, source: "explicit" })),
  skipped: [],
});

async function run(targets: TargetAccounts, options: Partial<ScanOptions> = {}) {
  const rows: ScanRow[] = [];
  const result = await scan(targets, {
    sts,
    stsRegion: "us-east-1",
    roleName: "CrossAccountListFunctionsRole",
    regions: ["us-east-1", "eu-west-1"],
    concurrency: 4,
    listers: [lambdaFunctions],
    onRow: (row) => void rows.push(row),
    ...options,
  });
  const statuses = rows.filter((row): row is StatusRow => row.type === "status");
  const byTarget = Object.fromEntries(statuses.map((row) => [`${row.account} ${row.region}`, row.status]));
  return { result, rows, statuses, byTarget, functions: rows.filter((row) => row.type === "lambda-function") };
}

beforeEach(() => {
  stsMock.reset();
  lambdaMock.reset();
  ec2Mock.reset();
  stsMock.on(AssumeRoleCommand).callsFake(assumed);
  lambdaMock.on(ListFunctionsCommand).callsFake(async (_input, getClient) => {
    // getClient answers the client of the latest call: ask before awaiting anything.
    const client = getClient();
    const [account, region] = [await accountOf(client), await regionOf(client)];
    return { Functions: [lambdaFunction(`fn-${account}-${region}`)] };
  });
});

describe("scan", () => {
  test("lists every account and region, tagging each row with its account and region, and reports each ok", async () => {
    const { functions, byTarget, result } = await run(accounts("222222222222", "333333333333"));
    expect(functions.map((row) => [row.account, row.region, (row as unknown as { name: string }).name])).toEqual(
      expect.arrayContaining([
        ["222222222222", "us-east-1", "fn-222222222222-us-east-1"],
        ["222222222222", "eu-west-1", "fn-222222222222-eu-west-1"],
        ["333333333333", "us-east-1", "fn-333333333333-us-east-1"],
        ["333333333333", "eu-west-1", "fn-333333333333-eu-west-1"],
      ]),
    );
    expect(Object.values(byTarget)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(result).toMatchObject({ accounts: 2, targets: 4, rows: 4, statuses: { ok: 4, error: 0 } });
  });

  test("assumes each account's role once for all its regions, even with every region starting together", async () => {
    stsMock.on(AssumeRoleCommand).callsFake(async (input) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return assumed(input);
    });
    const regions = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1"];
    await run(accounts("222222222222", "333333333333"), { regions, concurrency: 16 });
    const roleArns = stsMock.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn);
    expect(roleArns.sort()).toEqual([
      "arn:aws:iam::222222222222:role/CrossAccountListFunctionsRole",
      "arn:aws:iam::333333333333:role/CrossAccountListFunctionsRole",
    ]);
    expect(lambdaMock.commandCalls(ListFunctionsCommand)).toHaveLength(12);
  });

  test("never has more calls in flight than its concurrency", async () => {
    let inFlight = 0;
    let most = 0;
    lambdaMock.on(ListFunctionsCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { Functions: [] };
    });
    const ids = Array.from({ length: 10 }, (_, index) => String(200000000000 + index));
    const { result } = await run(accounts(...ids), { concurrency: 3 });
    expect(result.statuses.ok).toBe(20);
    expect(most).toBe(3);
  });

  test("follows every page of ListFunctions (120 functions in pages of 50)", async () => {
    const all = Array.from({ length: 120 }, (_, index) => lambdaFunction(`fn-${index}`));
    const requests: unknown[] = [];
    lambdaMock.on(ListFunctionsCommand).callsFake((input) => {
      requests.push({ ...input });
      const start = Number(input.Marker ?? 0);
      const end = start + (input.MaxItems ?? 50);
      return { Functions: all.slice(start, end), ...(end < all.length ? { NextMarker: String(end) } : {}) };
    });
    const { functions, statuses } = await run(accounts("222222222222"), { regions: ["us-east-1"] });
    expect(functions).toHaveLength(120);
    expect(requests).toEqual([{ MaxItems: 50 }, { MaxItems: 50, Marker: "50" }, { MaxItems: 50, Marker: "100" }]);
    expect(statuses).toEqual([expect.objectContaining({ status: "ok", rows: 120, lister: "lambda-function" })]);
  });

  test("keeps only the allowed fields of a function: never its environment variables", async () => {
    const { rows } = await run(accounts("222222222222"), { regions: ["us-east-1"] });
    expect(JSON.stringify(rows)).not.toMatch(/SECRET|hunter2|Environment|Variables/i);
    expect(rows[0]).toEqual({
      type: "lambda-function",
      account: "222222222222",
      region: "us-east-1",
      name: "fn-222222222222-us-east-1",
      arn: "arn:aws:lambda:us-east-1:222222222222:function:fn-222222222222-us-east-1",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      memorySize: 128,
      timeout: 3,
      codeSize: 1024,
      lastModified: "2025-01-01T00:00:00.000+0000",
      role: "arn:aws:iam::222222222222:role/fn",
      packageType: "Zip",
    });
  });

  test("discovers each account's enabled regions once, with that account's credentials", async () => {
    ec2Mock.on(DescribeRegionsCommand).callsFake(async (_input, getClient) => ({
      Regions:
        (await accountOf(getClient())) === "222222222222"
          ? [{ RegionName: "us-east-1" }, { RegionName: "ap-south-2", OptInStatus: "opted-in" }]
          : [{ RegionName: "us-east-1" }],
    }));
    const { byTarget } = await run(accounts("222222222222", "333333333333"), { regions: "enabled" });
    expect(byTarget).toEqual({
      "222222222222 ap-south-2": "ok",
      "222222222222 us-east-1": "ok",
      "333333333333 us-east-1": "ok",
    });
    expect(ec2Mock.commandCalls(DescribeRegionsCommand).map((call) => call.args[0].input)).toEqual([
      { AllRegions: false },
      { AllRegions: false },
    ]);
  });
});
