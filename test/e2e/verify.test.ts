import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DeleteItemCommand } from "@aws-sdk/client-dynamodb";
import { EmulatorAccount } from "../../scripts/emulator/emulator-accounts";
import { DEMO_MFA_CODE, DEMO_PATTERNS, type DemoSetup, prepareDemo } from "../../scripts/lib/demo-patterns";
import { Emulator } from "../../scripts/lib/emulator";
import { FaultProxy } from "../../scripts/lib/fault-proxy";
import { synthesizeInto } from "../../scripts/terraform/cdktf-project";
import { Terraform } from "../../scripts/terraform/terraform";
import { type Deployment, readDeployment } from "../../scripts/verify/deployment";
import type { CheckOutcome } from "../../scripts/verify/outcome";
import { openVerifyContext, verifyDeployment } from "../../scripts/verify/verify";
import { EXAMPLE_DESTINATION_ACCOUNT_ID, resolveConfig } from "../../stacks/config";
import { describeWithTools } from "./tools";

const statusOf = (outcomes: readonly CheckOutcome[]) =>
  outcomes.map(
    (outcome) =>
      `${outcome.status} ${outcome.pattern}: ${outcome.check}${outcome.status === "ok" ? "" : ` (${outcome.detail})`}`,
  );

describeWithTools("npm run verify against every pattern deployed on a local organization (moto_server)", () => {
  let emulator: Emulator;
  let workDirectory: string;
  let setup: DemoSetup;
  let deployment: Deployment;
  let destination: EmulatorAccount;
  const verify = async (functionEndpoint?: string) => {
    const { mapOfSynthesized } = await import("../../scripts/access-map/sources");
    const context = await openVerifyContext(resolveConfig(setup.config), deployment, {
      callerCredentials: setup.operator,
      mfaCode: DEMO_MFA_CODE,
      baseline: {
        map: await mapOfSynthesized(deployment.synthesized as Parameters<typeof mapOfSynthesized>[0]),
        name: "the synthesized map",
      },
      functionEndpoint,
    });
    return verifyDeployment(context);
  };

  beforeAll(async () => {
    emulator = await Emulator.start();
    workDirectory = mkdtempSync(path.join(os.tmpdir(), "cross-account-verify-e2e-"));
    // No destroy here (the emulator goes away), so no StackSet translator either.
    setup = await prepareDemo(emulator.endpoint, DEMO_PATTERNS, { translate: false });
    const stackDirectory = await synthesizeInto(workDirectory, setup.config);
    const terraform = new Terraform(stackDirectory);
    await terraform.init();
    // Everything but the buckets' lifecycle rules, which the provider waits a minute for and no check reads.
    const synthesized = JSON.parse(readFileSync(path.join(stackDirectory, "cdk.tf.json"), "utf8"));
    await terraform.applyResourcesOf(
      Object.keys(synthesized.resource).filter((type) => type !== "aws_s3_bucket_lifecycle_configuration"),
    );
    // A targeted apply leaves out the outputs that reference nothing targeted (bucket-prefix): refresh writes them.
    await terraform.run(["apply", "-refresh-only", "-input=false", "-auto-approve", "-no-color"]);
    deployment = await readDeployment(stackDirectory);
    destination = await EmulatorAccount.open(emulator.endpoint, EXAMPLE_DESTINATION_ACCOUNT_ID);
  }, 600_000);

  afterAll(async () => {
    await emulator?.stop();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  test("every check of every pattern is ok, and the writer's probe leaves nothing behind", async () => {
    const outcomes = await verify();
    expect(statusOf(outcomes)).toEqual([
      "ok writer: destination: the writer writes a probe",
      "ok writer: destination: the probe is in the table",
      "ok writer: destination: the probe is in the bucket",
      "ok writer: destination: the probe is removed",
      "ok source-principals: instance-role/batch-ec2 -> destination (write)",
      "ok source-principals: operator/alice -> destination (write)",
      "ok vending: a configured caller gets credentials of the vending role",
      "ok vending: an unknown (unsigned) caller is refused",
      "ok inventory: one run of the inventory function",
      "ok inventory: the report is found and read",
      "skipped organization-writer: organization writer (the config has no organizationWriter section)",
      "ok access: the deployed access is within the baseline",
    ]);
    expect(outcomes[4].detail).toBe(
      "arn:aws:sts::222222222222:assumed-role/assume-role-via-111111111111/verify-batch-ec2",
    );
    expect(await destination.items("wd-ddb-table")).toEqual([]);
    expect(await destination.objectVersions("wd-records-222222222222-us-east-1", "records/")).toEqual([]);
  });

  test("a probe the table does not hold where it was written (its item moved by a fault proxy) fails naming the table and key", async () => {
    const proxy = await FaultProxy.start(emulator.endpoint);
    try {
      // The writer's PutItem lands under another uuid: the record is not where the writer said it wrote it.
      proxy.rewrite("DynamoDB.PutItem", async (body) =>
        body.replace(/"uuid":\{"S":"00000000-/, '"uuid":{"S":"ffffffff-'),
      );
      const outcomes = (await verify(proxy.endpoint)).filter((outcome) => outcome.pattern === "writer");
      expect(proxy.rewritten.get("DynamoDB.PutItem")).toBe(1);
      const table = outcomes.find((outcome) => outcome.check === "destination: the probe is in the table");
      expect(table?.status).toBe("failed");
      expect(table?.detail).toMatch(/^no item \S+ \/ 00000000-0000-4000-8\S+ in table wd-ddb-table of 222222222222$/);
      expect(outcomes.find((outcome) => outcome.check === "destination: the probe is in the bucket")?.status).toBe(
        "ok",
      );
    } finally {
      await proxy.stop();
    }
    const moved = await destination.items("wd-ddb-table");
    expect(moved.map((item) => String(item.uuid).slice(0, 9))).toEqual(["ffffffff-"]);
    for (const item of moved)
      await destination.dynamodb.send(
        new DeleteItemCommand({
          TableName: "wd-ddb-table",
          Key: { timestamp: { S: String(item.timestamp) }, uuid: { S: String(item.uuid) } },
        }),
      );
  });
});
