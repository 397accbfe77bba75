import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { strToU8, zipSync } from "fflate";
import { runInventory } from "../../functions/inventory/inventory";
import { assumeInEmulator } from "../../scripts/emulator/emulator-accounts";
import { Emulator } from "../../scripts/lib/emulator";
import {
  createEmulatorOrganization,
  createInventoryCallerRole,
  createMemberRoles,
  memberAdmin,
} from "../../scripts/lib/emulator-organization";
import { runInventoryCliCaptured } from "../run-inventory-cli";

const ROLE_NAME = "CrossAccountListFunctionsRole";
const REGIONS = ["us-east-1", "eu-west-1"];
const ZIP = zipSync({ "index.js": strToU8("exports.handler = async () => 'ok';") });

let emulator: Emulator;
let firstMember = "";
let callerIdentity: AwsCredentialIdentity | undefined;
let endpoint: string;
const management = { accessKeyId: "test", secretAccessKey: "test" };

async function createFunction(accountId: string, region: string, name: string, roleArn: string) {
  const lambda = new LambdaClient({ region, endpoint, credentials: await memberAdmin(endpoint, accountId) });
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: name.includes("legacy") ? "nodejs16.x" : "nodejs22.x",
      Role: roleArn,
      Handler: "index.handler",
      Code: { ZipFile: ZIP },
      Environment: { Variables: { SECRET: "hunter2-must-not-leak" } },
    }),
  );
}

beforeAll(async () => {
  emulator = await Emulator.start();
  endpoint = emulator.endpoint;
});

afterAll(async () => {
  await emulator?.stop();
});

describe("inventory core against the emulator", () => {
  test("lists exactly the functions of an OU's accounts, with account and region, and a status for each target", async () => {
    const { unitId: ouId, members, outsiders } = await createEmulatorOrganization(endpoint, 3, 1);
    const [outsider] = outsiders;
    const callerRoleArn = await createInventoryCallerRole(endpoint);

    const expected: Array<[string, string, string]> = [];
    for (const [index, accountId] of members.entries()) {
      const fnRole = await createMemberRoles(endpoint, accountId, callerRoleArn, ROLE_NAME);
      // The first member: functions in both regions; the second: one region; the third: none.
      const regions = REGIONS.slice(0, 2 - index);
      for (const region of regions) {
        for (const name of [`api-${index}`, `legacy-${index}`]) {
          await createFunction(accountId, region, name, fnRole);
          expected.push([accountId, region, name]);
        }
      }
    }

    const callerCredentials = await assumeInEmulator(endpoint, callerRoleArn, "inventory");
    [firstMember, callerIdentity] = [members[0], callerCredentials];
    const s3 = new S3Client({ region: "us-east-1", endpoint, credentials: management, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "inventory-reports" }));
    const summary = await runInventory(
      {
        sts: new STSClient({ region: "us-east-1", endpoint, credentials: callerCredentials }),
        organizations: new OrganizationsClient({ region: "us-east-1", endpoint, credentials: callerCredentials }),
        s3,
      },
      {
        targets: { organizationalUnitIds: [ouId], accountIds: [outsider] },
        regions: REGIONS,
        roleName: ROLE_NAME,
        reportBucket: "inventory-reports",
        reportPrefix: "inventory",
        concurrency: 4,
        stsRegion: "us-east-1",
        deadlineMarginSeconds: 30,
      },
      { runId: "e2e", endpoint },
    );

    const { Contents: objects = [] } = await s3.send(
      new ListObjectsV2Command({ Bucket: "inventory-reports", Prefix: "inventory/e2e/" }),
    );
    expect(objects.map((object) => object.Key)).toEqual([
      "inventory/e2e/part-00001.jsonl",
      "inventory/e2e/summary.json",
    ]);
    const part = await s3.send(
      new GetObjectCommand({ Bucket: "inventory-reports", Key: "inventory/e2e/part-00001.jsonl" }),
    );
    const text = (await part.Body?.transformToString()) ?? "";
    expect(text).not.toMatch(/hunter2|SECRET|Environment/);
    const rows = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    const functions = rows.filter((row) => row.type === "lambda-function");
    expect(functions.map((row) => [row.account, row.region, row.name]).sort()).toEqual(expected.sort());
    for (const row of functions)
      expect(row.arn).toBe(`arn:aws:lambda:${row.region}:${row.account}:function:${row.name}`);

    const statuses = Object.fromEntries(
      rows.filter((row) => row.type === "status").map((row) => [`${row.account} ${row.region}`, row.status]),
    );
    for (const accountId of members)
      for (const region of REGIONS) expect(statuses[`${accountId} ${region}`]).toBe("ok");
    // moto 5.2.1 does not enforce IAM: AssumeRole of a role that does not exist succeeds, and so does listing.
    expect(statuses[`${outsider} us-east-1`]).toBe("ok");
    expect(summary).toMatchObject({ accounts: 4, targets: 8, functions: expected.length, statuses: { ok: 8 } });
  });

  test("npm run inventory discovers each account's enabled regions and filters by runtime", async () => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: callerIdentity?.accessKeyId,
      AWS_SECRET_ACCESS_KEY: callerIdentity?.secretAccessKey,
      AWS_SESSION_TOKEN: callerIdentity?.sessionToken,
    });
    // moto does not check trust: the inventory's own role serves here, which on AWS trusts only the function's role.
    const args = ["--accounts", firstMember, "--role-name", ROLE_NAME, "--endpoint", endpoint, "--format", "jsonl"];
    args.push("--runtime", "nodejs16.x");
    const { code, stdout, stderr } = await runInventoryCliCaptured(args);
    const rows = stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(
      rows
        .filter((row) => row.type === "lambda-function")
        .map((row) => [row.region, row.name, row.runtime])
        .sort(),
    ).toEqual([
      ["eu-west-1", "legacy-0", "nodejs16.x"],
      ["us-east-1", "legacy-0", "nodejs16.x"],
    ]);
    const regions = rows.filter((row) => row.type === "status").map((row) => row.region);
    expect(regions).toEqual(expect.arrayContaining(REGIONS));
    expect(regions.length).toBeGreaterThan(10);
    expect(stderr).toContain(`[1/1] ${firstMember}: ${regions.length} ok; 4 functions`);
    expect(code).toBe(0);
  });
});
