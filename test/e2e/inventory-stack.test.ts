import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CloudFormationClient, ListStackInstancesCommand, ListStackSetsCommand } from "@aws-sdk/client-cloudformation";
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from "@aws-sdk/client-eventbridge";
import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { strToU8, zipSync } from "fflate";
import { invokeBundle, synthesizedFunction } from "../../scripts/emulator/bundle-runner";
import { accountAdmin, assumeInEmulator, EmulatorAccount } from "../../scripts/emulator/emulator-accounts";
import { Emulator } from "../../scripts/lib/emulator";
import { createEmulatorOrganization, EMULATOR_MANAGEMENT_ACCOUNT_ID } from "../../scripts/lib/emulator-organization";
import { DELETE_STACK_INSTANCES, deleteStackInstancesByAccount } from "../../scripts/lib/emulator-stack-sets";
import { FaultProxy } from "../../scripts/lib/fault-proxy";
import { cdktf, emulatorConfig, prepareCdktfProject, synthesizeInto } from "../../scripts/terraform/cdktf-project";
import { Terraform } from "../../scripts/terraform/terraform";
import {
  type CrossAccountConfigInput,
  EXAMPLE_DESTINATION_ACCOUNT_ID,
  EXAMPLE_SOURCE_ACCOUNT_ID,
  INVENTORY_NAMES,
} from "../../stacks/config";
import { runInventoryCliCaptured } from "../run-inventory-cli";
import { describeWithTools } from "./tools";

const ROLE_NAME = "CrossAccountListFunctionsRole";
const REGIONS = ["us-east-1", "eu-west-1"];
const SCHEDULE = "rate(1 day)";
const ZIP = zipSync({ "index.js": strToU8("exports.handler = async () => 'ok';") });
const management = { region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };

interface Row {
  type: string;
  account: string;
  region: string;
  name?: string;
  status?: string;
  [key: string]: unknown;
}

describeWithTools("the inventory stack on a local organization (moto_server)", () => {
  let emulator: Emulator;
  /** Terraform's endpoint: forwards to the emulator, translating what moto does not understand (see the destroy). */
  let translator: FaultProxy;
  let workDirectory: string;
  let terraform: Terraform;
  let source: EmulatorAccount;
  let members: string[];
  let inventory: NonNullable<CrossAccountConfigInput["inventory"]>;
  let outsider: string;
  const expected: string[] = [];

  const client = <T>(
    Client: new (config: object) => T,
    accountCredentials = management.credentials,
    region = "us-east-1",
  ) => new Client({ region, endpoint: emulator.endpoint, credentials: accountCredentials });

  /** Functions in the members (dev: both regions, test: one, prod: none), one in the outsider, one in the destination. */
  async function createFunctions(): Promise<void> {
    const plan: Array<[string, string[]]> = [
      [members[0], REGIONS],
      [members[1], REGIONS.slice(0, 1)],
      [outsider, REGIONS.slice(1)],
      [EXAMPLE_DESTINATION_ACCOUNT_ID, REGIONS.slice(0, 1)],
    ];
    for (const [accountId, regions] of plan) {
      const credentials = await accountAdmin(emulator.endpoint, accountId);
      const lambdaTrust = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }],
      };
      await client(IAMClient, credentials).send(
        new CreateRoleCommand({ RoleName: "fn-role", AssumeRolePolicyDocument: JSON.stringify(lambdaTrust) }),
      );
      for (const region of regions) {
        const name = `api-${accountId.slice(-4)}-${region}`;
        await client(LambdaClient, credentials, region).send(
          new CreateFunctionCommand({
            FunctionName: name,
            Runtime: "nodejs22.x",
            Role: `arn:aws:iam::${accountId}:role/fn-role`,
            Handler: "index.handler",
            Code: { ZipFile: ZIP },
            Environment: { Variables: { SECRET: "hunter2-must-not-leak" } },
          }),
        );
        expected.push(`${accountId} ${region} ${name}`);
      }
    }
  }

  async function runInventory(endpoint: string) {
    const fn = synthesizedFunction(terraform.directory, INVENTORY_NAMES.functionName);
    const deployed = await source.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.functionName }));
    expect(deployed.CodeSha256).toBe(fn.codeSha256);
    const roleArn = `arn:aws:iam::${EXAMPLE_SOURCE_ACCOUNT_ID}:role/${INVENTORY_NAMES.executionRole}`;
    const [outcome] = await invokeBundle(fn, [{}], {
      environment: deployed.Environment?.Variables ?? {},
      credentials: await assumeInEmulator(emulator.endpoint, roleArn, fn.functionName),
      region: "us-east-1",
      endpoint,
    });
    if ("error" in outcome) throw new Error(`inventory failed: ${outcome.error.name}: ${outcome.error.message}`);
    const summary = outcome.result as unknown as {
      reportUri: string;
      functions: number;
      statuses: Record<string, number>;
    };
    const [, bucket, ...key] = summary.reportUri.replace("s3://", "/").split("/");
    const prefix = key.join("/").replace(/\/?$/, "/");
    const part = await source.objectText(bucket, `${prefix}part-00001.jsonl`);
    const rows = part
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Row);
    return { summary, part, rows, bucket };
  }

  beforeAll(async () => {
    emulator = await Emulator.start();
    workDirectory = mkdtempSync(path.join(os.tmpdir(), "inventory-stack-e2e-"));
    const organization = await createEmulatorOrganization(emulator.endpoint, 3, 1);
    const { organizationId, unitId: ouId } = organization;
    members = [...organization.members];
    [outsider] = organization.outsiders;
    translator = await FaultProxy.start(emulator.endpoint);
    translator.rewrite(DELETE_STACK_INSTANCES, deleteStackInstancesByAccount(emulator.endpoint));
    inventory = {
      organizationalUnitIds: [ouId],
      // The outsider is reached by no provider of the stack; the destination's account is: it gets the role directly.
      accountIds: [outsider, EXAMPLE_DESTINATION_ACCOUNT_ID],
      regions: REGIONS,
      concurrency: 4,
      schedule: SCHEDULE,
      organizationId,
      organization: { accountId: EMULATOR_MANAGEMENT_ACCOUNT_ID, region: "us-east-1" },
    };
    // A cdktf project, as users run it: `cdktf synth`, `cdktf deploy` (the whole stack), `cdktf destroy`.
    const stackDirectory = prepareCdktfProject(workDirectory, emulatorConfig(translator.endpoint, { inventory }));
    await cdktf(workDirectory, "synth");
    terraform = new Terraform(stackDirectory);
    source = await EmulatorAccount.open(emulator.endpoint, EXAMPLE_SOURCE_ACCOUNT_ID);
  });

  afterAll(async () => {
    await translator?.stop();
    await emulator?.stop();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  test("`cdktf deploy` fans the read-only role out to every OU member through the StackSet, trusting the inventory's role", async () => {
    await cdktf(workDirectory, "deploy");
    const synthesized = JSON.parse(readFileSync(path.join(terraform.directory, "cdk.tf.json"), "utf8"));
    const inventoryRoleArn = `arn:aws:iam::${EXAMPLE_SOURCE_ACCOUNT_ID}:role/${INVENTORY_NAMES.executionRole}`;
    for (const accountId of [...members, EXAMPLE_DESTINATION_ACCOUNT_ID]) {
      const iam = client(IAMClient, await accountAdmin(emulator.endpoint, accountId));
      const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }));
      const trust = JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? "{}"));
      expect(trust.Statement).toEqual([expect.objectContaining({ Principal: { AWS: inventoryRoleArn } })]);
    }
    const destinationIam = client(IAMClient, await accountAdmin(emulator.endpoint, EXAMPLE_DESTINATION_ACCOUNT_ID));
    const { PolicyDocument: policy } = await destinationIam.send(
      new GetRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: "list-functions" }),
    );
    expect(JSON.parse(decodeURIComponent(policy ?? "{}")).Statement).toEqual([
      { Sid: "ListOnly", Effect: "Allow", Action: ["lambda:ListFunctions"], Resource: "*" },
    ]);
    const outsiderIam = client(IAMClient, await accountAdmin(emulator.endpoint, outsider));
    await expect(outsiderIam.send(new GetRoleCommand({ RoleName: ROLE_NAME }))).rejects.toThrow(/not found/);

    // moto drops auto_deployment and capabilities and reports an administration_role_arn: ignored in emulator mode.
    const stackSetId = Object.keys(synthesized.resource.aws_cloudformation_stack_set)[0];
    const plan = await terraform.run(
      ["plan", "-input=false", "-detailed-exitcode", "-no-color", `-target=aws_cloudformation_stack_set.${stackSetId}`],
      [0, 2],
    );
    expect(plan.code).toBe(0);
    await createFunctions();
  });

  test("the schedule is deployed: an EventBridge rule with the configured expression, targeting the function", async () => {
    const events = client(EventBridgeClient, await accountAdmin(emulator.endpoint, EXAMPLE_SOURCE_ACCOUNT_ID));
    const rule = await events.send(new DescribeRuleCommand({ Name: `${INVENTORY_NAMES.functionName}-schedule` }));
    expect(rule).toMatchObject({ ScheduleExpression: SCHEDULE, State: "ENABLED" });
    const { Targets: targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name }));
    const { FunctionArn: functionArn } = await source.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: INVENTORY_NAMES.functionName }),
    );
    expect(targets.map((target) => target.Arn)).toEqual([functionArn]);
    // EventBridge invokes asynchronously: a failed run is not retried, a run not started within an hour is dropped.
    const asyncInvoke = await source.lambda.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: INVENTORY_NAMES.functionName }),
    );
    expect(asyncInvoke).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 3600 });
  });

  test("the deployed bundle, run as its execution role, reports exactly the functions with account and region, and no environment", async () => {
    const { summary, part, rows, bucket } = await runInventory(emulator.endpoint);
    expect(bucket).toBe(`inventory-reports-${EXAMPLE_SOURCE_ACCOUNT_ID}-us-east-1`);
    expect(part).not.toMatch(/hunter2|SECRET|Environment/);
    const functions = rows.filter((row) => row.type === "lambda-function");
    expect(functions.map((row) => `${row.account} ${row.region} ${row.name}`).sort()).toEqual([...expected].sort());
    const statuses = rows
      .filter((row) => row.type === "status")
      .map((row) => `${row.account} ${row.region} ${row.status}`);
    // moto 5.2.1 does not enforce IAM: AssumeRole of the outsider's missing role succeeds, and so does listing.
    expect(statuses.sort()).toEqual(
      [...members, outsider, EXAMPLE_DESTINATION_ACCOUNT_ID]
        .flatMap((account) => REGIONS.map((region) => `${account} ${region} ok`))
        .sort(),
    );
    expect(summary).toMatchObject({ functions: expected.length, statuses: { ok: 10 } });
    expect(summary.reportUri).toMatch(new RegExp(`^s3://${bucket}/inventory/`));
  });

  test("`npm run inventory -- --via-function` prints the report of a run of the deployed function (run as Lambda would: moto cannot)", async () => {
    const invoke = async () => ({ payload: JSON.stringify((await runInventory(emulator.endpoint)).summary) });
    const { code, stdout, stderr } = await runInventoryCliCaptured(
      ["--via-function", INVENTORY_NAMES.functionName, "--format", "csv"],
      { invoke, s3: source.s3 },
    );
    const [header, ...lines] = stdout.trimEnd().split("\n");
    expect(header).toMatch(/^account,region,name,runtime,/);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((line) => line.split(",").slice(0, 3).join(" ")).sort()).toEqual([...expected].sort());
    expect(stderr).toMatch(
      /^running cross-account-inventory in us-east-1: .*\nrun \S+: 5 accounts, 10 ok; report s3:\/\//,
    );
    expect(code).toBe(0);
  });

  test("throttled AssumeRole, Organizations and S3 calls are retried: the same report", async () => {
    const proxy = await FaultProxy.start(emulator.endpoint);
    try {
      proxy
        .limitFaultsPerTarget(1)
        .inject(
          { operation: "STS.AssumeRole", fault: "throttling", times: 3 },
          { operation: "AWSOrganizationsV20161128.ListAccountsForParent", fault: "throttling", times: 1 },
          { operation: "S3.PutObject", fault: "throttling", times: 1 },
        );
      const { summary, rows } = await runInventory(proxy.endpoint);
      expect(proxy.totalInjected()).toBe(5);
      expect(rows.filter((row) => row.type === "lambda-function")).toHaveLength(expected.length);
      expect(summary.statuses).toMatchObject({ ok: 10 });
    } finally {
      await proxy.stop();
    }
  });

  test("an account whose role AWS refuses (answered through the proxy, as moto never refuses) is reported access-denied while the others succeed", async () => {
    const proxy = await FaultProxy.start(emulator.endpoint);
    try {
      // AWS answers AssumeRole of a missing or untrusting role with AccessDenied; moto lets it through.
      proxy.inject({ operation: "STS.AssumeRole", fault: "access-denied", times: 10, bodyContains: outsider });
      const { summary, rows } = await runInventory(proxy.endpoint);
      const statusOf = (account: string) =>
        rows.filter((row) => row.type === "status" && row.account === account).map((row) => row.status);
      expect(statusOf(outsider).length).toBeGreaterThan(0);
      expect(new Set(statusOf(outsider))).toEqual(new Set(["access-denied"]));
      for (const member of [...members, EXAMPLE_DESTINATION_ACCOUNT_ID])
        expect(new Set(statusOf(member))).toEqual(new Set(["ok"]));
      expect(summary.statuses).toMatchObject({ ok: 8 });
      expect(rows.filter((row) => row.type === "lambda-function" && row.account === outsider)).toEqual([]);
      expect(proxy.injected.get("STS.AssumeRole access-denied")).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });

  test("`cdktf destroy` removes the StackSet, its instances and the role in every member account and the destination", async () => {
    const cloudformation = client(CloudFormationClient);
    const { Summaries: instances = [] } = await cloudformation.send(
      new ListStackInstancesCommand({ StackSetName: INVENTORY_NAMES.stackSet }),
    );
    expect(instances.map((instance) => instance.Account).sort()).toEqual([...members].sort());
    await cdktf(workDirectory, "destroy");
    // Terraform named the OU only; moto reads only accounts, so the translator named the OU's accounts, once.
    expect(translator.rewritten.get(DELETE_STACK_INSTANCES)).toBe(1);
    // moto keeps a deleted StackSet in ListStackSets, with status DELETED, whatever the Status filter.
    const { Summaries: stackSets = [] } = await cloudformation.send(new ListStackSetsCommand({}));
    expect(stackSets.filter((stackSet) => stackSet.StackSetName === INVENTORY_NAMES.stackSet)).toEqual([
      expect.objectContaining({ Status: "DELETED" }),
    ]);
    for (const accountId of [...members, EXAMPLE_DESTINATION_ACCOUNT_ID]) {
      const iam = client(IAMClient, await accountAdmin(emulator.endpoint, accountId));
      await expect(iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }))).rejects.toThrow(/not found/);
    }
  });

  test("an unknown OU, or a listed account the stack reaches inside a targeted OU, fails the plan naming it", async () => {
    const directory = path.join(workDirectory, "bad-targets");
    const planError = async (overrides: Partial<CrossAccountConfigInput>) => {
      const planned = new Terraform(
        await synthesizeInto(directory, emulatorConfig(translator.endpoint, { inventory, ...overrides })),
      );
      if (!existsSync(path.join(planned.directory, ".terraform"))) await planned.init();
      const { stderr } = await planned.run(["plan", "-input=false", "-no-color"], [1]);
      return stderr.replace(/\s+/g, " ");
    };
    expect(await planError({ inventory: { ...inventory, organizationalUnitIds: ["ou-zzzz-zzzzzzzz"] } })).toMatch(
      /ou-zzzz-zzzzzzzz.*ParentNotFoundException/,
    );
    const inside = members[0];
    expect(
      await planError({
        destination: { accountId: inside, region: "us-east-1" },
        inventory: { ...inventory, accountIds: [inside] },
      }),
    ).toContain(
      `inventory.accountIds lists ${inside}, which is in one of the targeted OUs (${inventory.organizationalUnitIds?.join(", ")})`,
    );
  });
});
