import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DeleteItemCommand } from "@aws-sdk/client-dynamodb";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { invokeDeployedWriter, resultOf } from "../../scripts/emulator/bundle-runner";
import { EmulatorAccount } from "../../scripts/emulator/emulator-accounts";
import { Emulator } from "../../scripts/lib/emulator";
import { FaultProxy } from "../../scripts/lib/fault-proxy";
import { cdktf, emulatorConfig, prepareCdktfProject, runAssume } from "../../scripts/terraform/cdktf-project";
import { Terraform } from "../../scripts/terraform/terraform";
import { readDeployment } from "../../scripts/verify/deployment";
import { openVerifyContext, verifyDeployment } from "../../scripts/verify/verify";
import { EXAMPLE_DESTINATION_ACCOUNT_ID, EXAMPLE_SOURCE_ACCOUNT_ID, resolveConfig } from "../../stacks/config";
import { describeWithTools } from "./tools";

const SUPPLIED = {
  timestamp: "2024-05-01T12:00:00.000Z",
  uuid: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
  data: { order: 42, items: [{ sku: "a-1", qty: 2 }] },
};

describeWithTools("the stack on a local two-account AWS (moto_server)", () => {
  let emulator: Emulator;
  let workDirectory: string;
  let stackDirectory: string;
  let terraform: Terraform;
  let source: EmulatorAccount;
  let destination: EmulatorAccount;
  let outputs: Record<string, string>;

  beforeAll(async () => {
    emulator = await Emulator.start();
    workDirectory = mkdtempSync(path.join(os.tmpdir(), "cross-account-e2e-"));
    // The default config: deletion protection on, as a user gets it.
    stackDirectory = prepareCdktfProject(
      workDirectory,
      emulatorConfig(emulator.endpoint, { allowDataDeletion: false }),
    );
    terraform = new Terraform(stackDirectory);
    [source, destination] = await Promise.all([
      EmulatorAccount.open(emulator.endpoint, EXAMPLE_SOURCE_ACCOUNT_ID),
      EmulatorAccount.open(emulator.endpoint, EXAMPLE_DESTINATION_ACCOUNT_ID),
    ]);
  });

  afterAll(async () => {
    await emulator?.stop();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  test("`cdktf deploy` creates each account's resources in that account, in one run", async () => {
    await cdktf(workDirectory, "deploy");
    outputs = await terraform.outputs();
    expect(outputs["source-role-arn"]).toBe("arn:aws:iam::111111111111:role/cross-account-write-to-222222222222");
    expect(outputs["destination-role-arn"]).toBe("arn:aws:iam::222222222222:role/assume-role-via-111111111111");
    expect(await source.inventory()).toEqual({
      roles: ["cross-account-write-to-222222222222"],
      tables: [],
      buckets: [],
      functions: ["cross-account-dynamodb-write"],
      logGroups: ["/aws/lambda/cross-account-dynamodb-write"],
    });
    expect(await destination.inventory()).toEqual({
      roles: ["assume-role-via-111111111111"],
      tables: ["wd-ddb-table"],
      buckets: ["wd-records-222222222222-us-east-1"],
      functions: [],
      logGroups: [],
    });
  });

  test("a plan of the pinned Terraform (what users have deployed) shows no change: no drift, nothing reorganized", async () => {
    // The pin (test/synth-pin.test.ts) leaves out the asset's path and hash, the state path and the endpoint of the
    // example config: take those from what was just deployed, and plan the pin against its state.
    const synthesizedFile = path.join(stackDirectory, "cdk.tf.json");
    const deployed = readFileSync(synthesizedFile, "utf8");
    const current = JSON.parse(deployed);
    const [functionId] = Object.keys(current.resource.aws_lambda_function);
    const pinned = readFileSync(path.resolve(__dirname, "..", "fixtures", "synth", "default.json"), "utf8")
      .replaceAll("<asset path>", current.resource.aws_lambda_function[functionId].filename)
      .replaceAll("<asset hash>", current.resource.aws_lambda_function[functionId].source_code_hash)
      .replaceAll("<local state path>", current.terraform.backend.local.path)
      .replaceAll("http://127.0.0.1:5000", emulator.endpoint);
    writeFileSync(synthesizedFile, pinned);
    try {
      const plan = await terraform.planHasChanges();
      expect(plan.output).toContain("No changes.");
      expect(plan.changes).toBe(false);
    } finally {
      writeFileSync(synthesizedFile, deployed);
    }
  });

  test("`npm run assume` prints credentials that act in the destination account, in each format, and refuses bad input", async () => {
    const assume = (...args: string[]) => runAssume(workDirectory, source.credentials, args);

    const json = await assume("destination", "--format", "json", "--duration", "900");
    expect(json.stderr).toBe("");
    const printed = JSON.parse(json.stdout);
    expect(printed.RoleArn).toBe(outputs["destination-role-arn"]);
    const identity = await new STSClient({
      region: "us-east-1",
      endpoint: emulator.endpoint,
      credentials: {
        accessKeyId: printed.AccessKeyId,
        secretAccessKey: printed.SecretAccessKey,
        sessionToken: printed.SessionToken,
      },
    }).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe("222222222222");
    expect(identity.Arn).toMatch(/^arn:aws:sts::222222222222:assumed-role\/assume-role-via-111111111111\/operator-/);

    const credentialProcess = JSON.parse((await assume("222222222222", "--format", "credential-process")).stdout);
    expect(credentialProcess).toEqual({
      Version: 1,
      AccessKeyId: expect.any(String),
      SecretAccessKey: expect.any(String),
      SessionToken: expect.any(String),
      Expiration: expect.stringMatching(/Z$/),
    });
    expect((await assume("destination")).stdout).toMatch(
      /^export AWS_ACCESS_KEY_ID=\S+\nexport AWS_SECRET_ACCESS_KEY=\S+\nexport AWS_SESSION_TOKEN=\S+\nexport AWS_REGION=us-east-1\n/,
    );

    const unknown = await assume("production");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`unknown destination "production"; allowed: "destination" or "222222222222"`);
    const tooLong = await assume("destination", "--duration", "7200");
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain(
      `--duration must be a whole number of seconds from 900 to 3600 (the role's maximum session), got "7200"`,
    );
    const badFormat = await assume("destination", "--format", "yaml");
    expect(badFormat.stderr).toContain(`--format must be one of env, json, credential-process, got "yaml"`);
  });

  test("the bundled writer, run as its execution role, writes an empty event's record and a supplied one into the destination only", async () => {
    const [generated, supplied] = (await invokeDeployedWriter(source, stackDirectory, outputs, [{}, SUPPLIED])).map(
      resultOf,
    );
    expect(generated.statusCode).toBe(201);
    expect(generated.body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(generated.body.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(supplied).toEqual({
      statusCode: 201,
      body: expect.objectContaining({
        uuid: SUPPLIED.uuid,
        alreadyWritten: false,
        objectUri: `s3://wd-records-222222222222-us-east-1/records/${SUPPLIED.uuid}.json`,
      }),
    });

    const items = await destination.items("wd-ddb-table");
    expect(items).toHaveLength(2);
    expect(items).toEqual(
      expect.arrayContaining([SUPPLIED, { timestamp: generated.body.timestamp, uuid: generated.body.uuid }]),
    );
    expect(await destination.objectJson("wd-records-222222222222-us-east-1", `records/${SUPPLIED.uuid}.json`)).toEqual(
      SUPPLIED,
    );
    expect(
      await destination.objectJson("wd-records-222222222222-us-east-1", `records/${generated.body.uuid}.json`),
    ).toEqual({ timestamp: generated.body.timestamp, uuid: generated.body.uuid });

    const sourceInventory = await source.inventory();
    expect(sourceInventory.tables).toEqual([]);
    expect(sourceInventory.buckets).toEqual([]);
  });

  test("a replayed event changes nothing and says it was already written", async () => {
    const [replay] = (await invokeDeployedWriter(source, stackDirectory, outputs, [SUPPLIED])).map(resultOf);
    expect(replay).toEqual({
      statusCode: 200,
      body: expect.objectContaining({ alreadyWritten: true, itemWritten: false, objectWritten: false }),
    });
    expect(await destination.items("wd-ddb-table")).toHaveLength(2);
    expect(
      await destination.objectVersions("wd-records-222222222222-us-east-1", `records/${SUPPLIED.uuid}`),
    ).toHaveLength(1);
  });

  test("bad events are refused with the field named, and write nothing", async () => {
    const outcomes = (
      await invokeDeployedWriter(source, stackDirectory, outputs, [
        { timestamp: "yesterday" },
        { timestamp: "2024-05-01T12:00:00Z", uuid: "not-a-uuid" },
        { data: [1, 2, 3] },
        "a string",
      ])
    ).map(resultOf);
    expect(outcomes.map((outcome) => outcome.statusCode)).toEqual([400, 400, 400, 400]);
    expect(outcomes.map((outcome) => outcome.body.problems[0])).toEqual([
      expect.stringMatching(/^timestamp must be an ISO 8601 date-time/),
      expect.stringMatching(/^uuid must be a UUID/),
      expect.stringMatching(/^data must be a JSON object/),
      expect.stringMatching(/^the event must be a JSON object/),
    ]);
    expect(await destination.items("wd-ddb-table")).toHaveLength(2);
    expect(await destination.objectVersions("wd-records-222222222222-us-east-1", "records/")).toHaveLength(2);
  });

  // npm run verify's writer check on this one deployment (npm start runs every pattern's: test/e2e/start.test.ts).
  const verifyWriter = async (functionEndpoint?: string) => {
    const config = resolveConfig(emulatorConfig(emulator.endpoint, { allowDataDeletion: false }));
    const context = await openVerifyContext(config, await readDeployment(stackDirectory), { functionEndpoint });
    return verifyDeployment(context, { patterns: ["writer"] });
  };

  test("npm run verify's writer check: a probe written by the deployed function, read back, removed; nothing left", async () => {
    const outcomes = await verifyWriter();
    expect(outcomes.map((outcome) => `${outcome.status} ${outcome.check}`)).toEqual([
      "ok destination: the writer writes a probe",
      "ok destination: the probe is in the table",
      "ok destination: the probe is in the bucket",
      "ok destination: the probe is removed",
    ]);
    expect(await destination.items("wd-ddb-table")).toHaveLength(2);
    expect(await destination.objectVersions("wd-records-222222222222-us-east-1", "records/")).toHaveLength(2);
  });

  test("npm run verify fails naming the table and key when the probe is not where the writer wrote it (a fault proxy moves the item)", async () => {
    const proxy = await FaultProxy.start(emulator.endpoint);
    try {
      proxy.rewrite("DynamoDB.PutItem", async (body) =>
        body.replace(/"uuid":\{"S":"00000000-/, '"uuid":{"S":"ffffffff-'),
      );
      const outcomes = await verifyWriter(proxy.endpoint);
      expect(proxy.rewritten.get("DynamoDB.PutItem")).toBe(1);
      const table = outcomes.find((outcome) => outcome.check === "destination: the probe is in the table");
      expect(table?.status).toBe("failed");
      expect(table?.detail).toMatch(/^no item \S+ \/ 00000000-0000-4000-8\S+ in table wd-ddb-table of 222222222222$/);
    } finally {
      await proxy.stop();
    }
    const moved = (await destination.items("wd-ddb-table")).filter((item) => String(item.uuid).startsWith("ffffffff-"));
    expect(moved).toHaveLength(1);
    await destination.dynamodb.send(
      new DeleteItemCommand({
        TableName: "wd-ddb-table",
        Key: { timestamp: { S: String(moved[0].timestamp) }, uuid: { S: String(moved[0].uuid) } },
      }),
    );
    expect(await destination.items("wd-ddb-table")).toHaveLength(2);
  });

  test("destroy with data in the destination fails clearly and the data stays", async () => {
    const result = await terraform.destroy([1]);
    expect(result.stderr).toMatch(
      /Table 'wd-ddb-table' can't be deleted while DeletionProtectionEnabled is set to True/,
    );
    expect(result.stderr).toMatch(/BucketNotEmpty/);
    expect(await destination.items("wd-ddb-table")).toHaveLength(2);
    expect(await destination.objectVersions("wd-records-222222222222-us-east-1", "records/")).toHaveLength(2);
  });

  test("after opting in to data deletion, `cdktf destroy` leaves neither account with any of the stack's resources", async () => {
    prepareCdktfProject(workDirectory, emulatorConfig(emulator.endpoint, { allowDataDeletion: true }));
    await cdktf(workDirectory, "synth");
    const state = (await terraform.run(["state", "list"])).stdout.split("\n").filter(Boolean);
    const dataStores = state.filter((address) => /^aws_(dynamodb_table|s3_bucket)\./.test(address));
    expect(dataStores).toHaveLength(2);
    // Apply the opt-in to the two data stores only: the rest of the stack was destroyed by the previous test.
    await terraform.run([
      "apply",
      "-input=false",
      "-auto-approve",
      "-no-color",
      ...dataStores.map((address) => `-target=${address}`),
    ]);
    await cdktf(workDirectory, "destroy");

    const empty = { roles: [], tables: [], buckets: [], functions: [], logGroups: [] };
    expect(await source.inventory()).toEqual(empty);
    expect(await destination.inventory()).toEqual(empty);
  });
});
