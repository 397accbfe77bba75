import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetFunctionCommand, GetFunctionUrlConfigCommand, GetPolicyCommand } from "@aws-sdk/client-lambda";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type InvocationOutcome, invokeDeployedFunction } from "../../scripts/emulator/bundle-runner";
import { EmulatorAccount } from "../../scripts/emulator/emulator-accounts";
import { functionUrlEvent } from "../../scripts/emulator/function-url-event";
import { applyVendingPath, destroyVendingPath } from "../../scripts/lib/apply-vending-path";
import { Emulator } from "../../scripts/lib/emulator";
import { FaultProxy } from "../../scripts/lib/fault-proxy";
import { emulatorConfig, synthesizeInto } from "../../scripts/terraform/cdktf-project";
import type { Terraform } from "../../scripts/terraform/terraform";
import { EXAMPLE_DESTINATION_ACCOUNT_ID, EXAMPLE_SOURCE_ACCOUNT_ID } from "../../stacks/config";
import { invokeViaUrlStackName } from "../../stacks/vending/invoke-via-url";
import { VENDING_OUTPUTS } from "../../stacks/vending/vending";
import { READER_ARN, VENDING_EXAMPLE, WRITER_ARN } from "../vending-fixtures";
import { describeWithTools } from "./tools";

const READER_SESSION = "arn:aws:sts::111111111111:assumed-role/reporting/nightly-report";
const STRANGER_SESSION = "arn:aws:sts::111111111111:assumed-role/deploy-pipeline/build-17";

/** The body of one answer, parsed; throws with the error when the invocation itself failed. */
function answer(outcome: InvocationOutcome | undefined): { statusCode: number; body: Record<string, string> } {
  if (!outcome || "error" in outcome) throw new Error(`vend failed: ${JSON.stringify(outcome)}`);
  return { statusCode: outcome.result.statusCode, body: JSON.parse(outcome.result.body) };
}

describeWithTools("credential vending on a local two-account AWS (moto_server)", () => {
  let emulator: Emulator;
  let proxy: FaultProxy;
  let workDirectory: string;
  let stackDirectory: string;
  let source: EmulatorAccount;
  let outputs: Record<string, string>;
  let terraform: Terraform;
  let vendingRoleArn: string;
  const vend = (events: readonly unknown[]) =>
    invokeDeployedFunction(
      source,
      stackDirectory,
      {
        functionName: outputs[VENDING_OUTPUTS.functionName],
        executionRoleArn: outputs[VENDING_OUTPUTS.executionRoleArn],
      },
      events,
      { endpoint: proxy.endpoint },
    );
  const inDestination = (credentials: Record<string, string>) => ({
    region: "us-east-1",
    endpoint: emulator.endpoint,
    forcePathStyle: true,
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
    },
  });

  beforeAll(async () => {
    emulator = await Emulator.start();
    proxy = await FaultProxy.start(emulator.endpoint);
    workDirectory = mkdtempSync(path.join(os.tmpdir(), "cross-account-vending-e2e-"));
    stackDirectory = await synthesizeInto(
      workDirectory,
      emulatorConfig(emulator.endpoint, { vending: VENDING_EXAMPLE.vending }),
    );
    terraform = await applyVendingPath(stackDirectory);
    outputs = await terraform.outputs();
    vendingRoleArn = `arn:aws:iam::${EXAMPLE_DESTINATION_ACCOUNT_ID}:role/assume-role-via-111111111111-vending`;
    source = await EmulatorAccount.open(emulator.endpoint, EXAMPLE_SOURCE_ACCOUNT_ID);
  }, 480_000);

  afterAll(async () => {
    await proxy?.stop();
    await emulator?.stop();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  test("the function URL is deployed with AuthType AWS_IAM; the resource policy gives exactly the two callers InvokeFunctionUrl and, through the CloudFormation stack, InvokeFunction via the URL only", async () => {
    const name = outputs[VENDING_OUTPUTS.functionName];
    const url = await source.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name }));
    expect(url.AuthType).toBe("AWS_IAM");
    expect(outputs[VENDING_OUTPUTS.functionUrl]).toBe(url.FunctionUrl);
    const policy = JSON.parse((await source.lambda.send(new GetPolicyCommand({ FunctionName: name }))).Policy ?? "{}");
    const statements: { Principal: string; Action: string; InvokedViaFunctionUrl?: boolean }[] = policy.Statement;
    const byAction = (action: string) => statements.filter((statement) => statement.Action === action);
    expect(
      byAction("lambda:InvokeFunctionUrl")
        .map((statement) => statement.Principal)
        .sort(),
    ).toEqual([READER_ARN, WRITER_ARN].sort());
    // moto keeps the CloudFormation properties as the statement; AWS writes them as the condition the IAM matrix uses.
    const invoke = byAction("lambda:InvokeFunction");
    expect(invoke.map((statement) => statement.Principal).sort()).toEqual([READER_ARN, WRITER_ARN].sort());
    expect(invoke.every((statement) => statement.InvokedViaFunctionUrl === true)).toBe(true);
    expect(statements).toHaveLength(4);
  });

  test("two callers with different access get credentials that act as the vending role in the destination account", async () => {
    proxy.reset();
    const [reader, writer] = (
      await vend([
        functionUrlEvent({ userArn: READER_SESSION }, { destination: "destination", access: "read" }),
        functionUrlEvent({ userArn: WRITER_ARN }, { destination: "destination", access: "write", purpose: "ingest" }),
      ])
    ).map(answer);
    expect(proxy.count("STS.AssumeRole")).toBe(2);
    for (const { statusCode, body } of [reader, writer]) {
      expect(statusCode).toBe(200);
      expect(body).toEqual({
        Version: 1,
        AccessKeyId: expect.any(String),
        SecretAccessKey: expect.any(String),
        SessionToken: expect.any(String),
        Expiration: expect.any(String),
      });
    }
    const readerIdentity = await new STSClient(inDestination(reader.body)).send(new GetCallerIdentityCommand({}));
    expect(readerIdentity.Account).toBe(EXAMPLE_DESTINATION_ACCOUNT_ID);
    expect(readerIdentity.Arn).toBe(
      `arn:aws:sts::222222222222:assumed-role/assume-role-via-111111111111-vending/reporting@111111111111`,
    );
    const writerIdentity = await new STSClient(inDestination(writer.body)).send(new GetCallerIdentityCommand({}));
    expect(writerIdentity.Arn).toMatch(/assumed-role\/assume-role-via-111111111111-vending\/ingest@111111111111$/);
    // The 900 s default, counted from now: a minute of slack for the emulator's clock.
    const seconds = (Date.parse(reader.body.Expiration) - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(840);
    expect(seconds).toBeLessThanOrEqual(960);

    // The writer's credentials put an object into its folder of the destination bucket (moto enforces no IAM, so
    // this shows the account the credentials act in, not the session policy: the IAM matrix proves that).
    const bucket = `wd-records-222222222222-us-east-1`;
    const key = "records/ingest/in/vended.json";
    await new S3Client(inDestination(writer.body)).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "{}" }));
    const read = await new S3Client(inDestination(reader.body)).send(
      new GetObjectCommand({ Bucket: bucket, Key: key }),
    );
    expect(await read.Body?.transformToString()).toBe("{}");
  });

  test("an unknown caller, an ungranted access and a malformed request get 403/403/400 and no AssumeRole is made", async () => {
    proxy.reset();
    const [stranger, tooMuch, malformed, unsigned] = (
      await vend([
        functionUrlEvent({ userArn: STRANGER_SESSION }, { destination: "destination", access: "read" }),
        functionUrlEvent({ userArn: READER_SESSION }, { destination: "destination", access: "write" }),
        functionUrlEvent({ userArn: WRITER_ARN }, "{not json"),
        functionUrlEvent(undefined, { destination: "destination", access: "read" }),
      ])
    ).map(answer);
    expect(stranger.statusCode).toBe(403);
    expect(stranger.body.error).toContain(`${STRANGER_SESSION} is not a caller`);
    expect(tooMuch.statusCode).toBe(403);
    expect(tooMuch.body.error).toContain('access "write" is not granted');
    expect(tooMuch.body.error).toContain("may ask for read access to destination");
    expect(malformed.statusCode).toBe(400);
    expect(unsigned.statusCode).toBe(403);
    expect(proxy.count("STS.AssumeRole")).toBe(0);
  });

  test("AssumeRole denied answers 502 naming the role and what to check", async () => {
    proxy.reset();
    proxy.inject({ operation: "STS.AssumeRole", fault: "access-denied", times: 4 });
    const [denied] = (
      await vend([functionUrlEvent({ userArn: WRITER_ARN }, { destination: "destination", access: "write" })])
    ).map(answer);
    expect(denied.statusCode).toBe(502);
    expect(denied.body.error).toContain(`AssumeRole on ${vendingRoleArn} was denied`);
    expect(denied.body.error).toContain("sts:SetSourceIdentity");
    expect(denied.body).not.toHaveProperty("AccessKeyId");
  });

  test("the cache holds: 200 vends of one caller for one destination and access make 1 AssumeRole", async () => {
    proxy.reset();
    const request = functionUrlEvent({ userArn: READER_SESSION }, { destination: "destination", access: "read" });
    const outcomes = (await vend(Array.from({ length: 200 }, () => request))).map(answer);
    expect(outcomes.every(({ statusCode }) => statusCode === 200)).toBe(true);
    expect(new Set(outcomes.map(({ body }) => body.AccessKeyId)).size).toBe(1);
    expect(proxy.count("STS.AssumeRole")).toBe(1);
  });

  test("destroy removes the function, its URL permissions and the CloudFormation stack of its invoke permissions", async () => {
    const name = outputs[VENDING_OUTPUTS.functionName];
    const cloudformation = new CloudFormationClient({
      region: source.region,
      endpoint: emulator.endpoint,
      credentials: source.credentials,
    });
    const stackName = invokeViaUrlStackName(name);
    const before = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
    expect(before.Stacks?.[0]?.StackStatus).toBe("CREATE_COMPLETE");
    await destroyVendingPath(terraform, stackDirectory);
    await expect(source.lambda.send(new GetFunctionCommand({ FunctionName: name }))).rejects.toThrow(/not found/i);
    const after = await cloudformation
      .send(new DescribeStacksCommand({ StackName: stackName }))
      .then((answer) => answer.Stacks?.[0]?.StackStatus ?? "gone")
      .catch((error: Error) => (/does not exist/.test(error.message) ? "gone" : error.message));
    expect(["gone", "DELETE_COMPLETE"]).toContain(after);
    expect(await terraform.run(["state", "list"]).then((result) => result.stdout)).not.toMatch(
      /aws_cloudformation_stack|aws_lambda_permission/,
    );
  }, 180_000);
});
