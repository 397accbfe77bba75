import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { lambdaFunctions } from "../functions/inventory/listers/lambda-functions";
import {
  type AccountProgress,
  type ScanOptions,
  type ScanRow,
  type StatusRow,
  scan,
} from "../functions/inventory/scan";
import { classify } from "../functions/inventory/status";
import { accountOf, assumed, awsError, lambdaFunction, regionOf } from "./inventory-fixtures";

const stsMock = mockClient(STSClient);
const lambdaMock = mockClient(LambdaClient);
const ec2Mock = mockClient(EC2Client);
const ROLE = "arn:aws:iam::222222222222:role/CrossAccountListFunctionsRole";

async function run(ids: string[], options: Partial<ScanOptions> = {}) {
  const rows: ScanRow[] = [];
  const progress: AccountProgress[] = [];
  await scan(
    { accounts: ids.map((accountId) => ({ accountId, source: "explicit" })), skipped: [] },
    {
      sts: new STSClient({ region: "us-east-1" }),
      stsRegion: "us-east-1",
      roleName: "CrossAccountListFunctionsRole",
      regions: ["us-east-1", "ap-east-1"],
      concurrency: 2,
      listers: [lambdaFunctions],
      onRow: (row) => void rows.push(row),
      onAccount: (line) => void progress.push(line),
      ...options,
    },
  );
  const statuses = rows.filter((row): row is StatusRow => row.type === "status");
  return {
    rows,
    progress,
    statuses,
    byTarget: Object.fromEntries(statuses.map((row) => [`${row.account} ${row.region}`, row])),
  };
}

beforeEach(() => {
  stsMock.reset();
  lambdaMock.reset();
  ec2Mock.reset();
  stsMock.on(AssumeRoleCommand).callsFake((input) => {
    if (input.RoleArn?.includes("::444444444444:"))
      throw awsError("AccessDenied", "not authorized to perform: sts:AssumeRole");
    if (input.RoleArn?.includes("::555555555555:"))
      throw awsError("NoSuchEntity", "The role CrossAccountListFunctionsRole does not exist");
    return assumed(input);
  });
  lambdaMock.on(ListFunctionsCommand).callsFake(async (_input, getClient) => {
    const client = getClient();
    const [account, region] = [await accountOf(client), await regionOf(client)];
    if (account === "333333333333" && region === "us-east-1")
      throw awsError("AccessDeniedException", "not authorized: lambda:ListFunctions");
    if (region === "ap-east-1")
      throw awsError("UnrecognizedClientException", "The security token included in the request is invalid");
    if (account === "666666666666") throw awsError("ThrottlingException", "Rate exceeded");
    if (account === "777777777777") throw awsError("ServiceException", "internal error");
    return { Functions: [lambdaFunction("fn")] };
  });
});

describe("scan statuses", () => {
  test("records a status for every account and region, going on past each failure", async () => {
    const { byTarget, statuses } = await run([
      "222222222222",
      "333333333333",
      "444444444444",
      "555555555555",
      "666666666666",
      "777777777777",
    ]);
    const summary = Object.fromEntries(
      Object.entries(byTarget).map(([target, row]) => [target, [row.status, row.phase]]),
    );
    expect(summary).toEqual({
      "222222222222 us-east-1": ["ok", undefined],
      "222222222222 ap-east-1": ["region-disabled", "list"],
      "333333333333 us-east-1": ["access-denied", "list"],
      "333333333333 ap-east-1": ["region-disabled", "list"],
      "444444444444 us-east-1": ["access-denied", "assume-role"],
      "444444444444 ap-east-1": ["access-denied", "assume-role"],
      "555555555555 us-east-1": ["role-missing", "assume-role"],
      "555555555555 ap-east-1": ["role-missing", "assume-role"],
      "666666666666 us-east-1": ["throttled", "list"],
      "666666666666 ap-east-1": ["region-disabled", "list"],
      "777777777777 us-east-1": ["error", "list"],
      "777777777777 ap-east-1": ["region-disabled", "list"],
    });
    expect(byTarget["777777777777 us-east-1"].message).toBe("ServiceException: internal error");
    expect(byTarget["444444444444 us-east-1"].message).toMatch(
      /cannot assume arn:aws:iam::444444444444:role\/CrossAccountListFunctionsRole: it is missing or does not trust/,
    );
    expect(statuses).toHaveLength(12);
  });

  test("reports an account whose role cannot be assumed once, as region *, when its regions were to be discovered", async () => {
    ec2Mock.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: "us-east-1" }] });
    const { statuses } = await run(["444444444444", "222222222222"], { regions: "enabled" });
    expect(statuses.map(({ account, region, lister, status }) => [account, region, lister, status])).toEqual(
      expect.arrayContaining([
        ["444444444444", "*", "*", "access-denied"],
        ["222222222222", "us-east-1", "lambda-function", "ok"],
      ]),
    );
    expect(statuses).toHaveLength(2);
  });

  test("reports a failing DescribeRegions as the account's status", async () => {
    ec2Mock
      .on(DescribeRegionsCommand)
      .rejects(awsError("UnauthorizedOperation", "You are not authorized to perform ec2:DescribeRegions"));
    const { statuses } = await run(["222222222222"], { regions: "enabled" });
    expect(statuses).toEqual([
      expect.objectContaining({ region: "*", status: "access-denied", phase: "describe-regions" }),
    ]);
  });

  test("writes skipped accounts as skipped, with the reason, and reports progress per account", async () => {
    const rows: ScanRow[] = [];
    const progress: AccountProgress[] = [];
    await scan(
      {
        accounts: [{ accountId: "222222222222", source: "ou-ab12-abcdefgh" }],
        skipped: [
          { accountId: "888888888888", source: "ou-ab12-abcdefgh", state: "SUSPENDED", reason: "account is SUSPENDED" },
        ],
      },
      {
        sts: new STSClient({ region: "us-east-1" }),
        stsRegion: "us-east-1",
        roleName: "CrossAccountListFunctionsRole",
        regions: ["us-east-1"],
        concurrency: 2,
        listers: [lambdaFunctions],
        onRow: (row) => void rows.push(row),
        onAccount: (line) => void progress.push(line),
      },
    );
    expect(rows).toContainEqual({
      type: "status",
      account: "888888888888",
      region: "*",
      lister: "*",
      status: "skipped",
      rows: 0,
      message: "account is SUSPENDED",
    });
    expect(progress).toEqual([
      { account: "888888888888", done: 1, total: 2, statuses: { skipped: 1 }, rows: 0 },
      { account: "222222222222", done: 2, total: 2, statuses: { ok: 1 }, rows: 1 },
    ]);
  });

  test("marks what the deadline cut off as not-scanned: accounts not started and listings in progress", async () => {
    let clock = 0;
    const all = Array.from({ length: 120 }, (_, index) => lambdaFunction(`fn-${index}`));
    lambdaMock.on(ListFunctionsCommand).callsFake((input) => {
      const start = Number(input.Marker ?? 0);
      clock += 10;
      return {
        Functions: all.slice(start, start + 50),
        ...(start + 50 < all.length ? { NextMarker: String(start + 50) } : {}),
      };
    });
    const { statuses, rows } = await run(["222222222222", "333333333333"], {
      regions: ["us-east-1"],
      concurrency: 1,
      deadline: 20,
      now: () => clock,
    });
    expect(statuses.map(({ account, status, rows: count }) => [account, status, count])).toEqual([
      ["222222222222", "not-scanned", 51],
      ["333333333333", "not-scanned", 0],
    ]);
    expect(statuses[0].message).toBe("the run's deadline came after 51 rows: the list is incomplete");
    expect(rows.filter((row) => row.type === "lambda-function")).toHaveLength(51);
  });

  test.each([
    ["Throttling", "assume-role", "throttled"],
    ["AccessDenied", "list", "access-denied"],
    ["InvalidClientTokenId", "list", "region-disabled"],
    ["InvalidClientTokenId", "assume-role", "error"],
    ["ExpiredToken", "list", "error"],
  ] as const)("classifies %s in phase %s as %s", (name, phase, status) => {
    expect(classify(awsError(name, "said"), phase, ROLE).status).toBe(status);
  });
});
