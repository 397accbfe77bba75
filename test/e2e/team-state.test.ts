import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateBucketCommand, HeadObjectCommand, PutBucketVersioningCommand } from "@aws-sdk/client-s3";
import { EmulatorAccount } from "../../scripts/emulator/emulator-accounts";
import { Emulator } from "../../scripts/lib/emulator";
import { CommandError } from "../../scripts/shared/process";
import { emulatorConfig, synthesizeInto } from "../../scripts/terraform/cdktf-project";
import { applySavedPlan, savePlan } from "../../scripts/terraform/reviewed-plan";
import { Terraform } from "../../scripts/terraform/terraform";
import { describeWithTools } from "./tools";

const STATE_ACCOUNT = "333333333333";
const STATE_BUCKET = "team-state-333333333333";
const STATE_KEY = "cross-account/terraform.tfstate";

/** State files below a directory: *.tfstate and backups, but not .terraform/terraform.tfstate (the backend's settings). */
function localStateFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: "utf8" }).filter(
    (file) => /\.tfstate(\.backup)?$/.test(file) && !file.split(path.sep).includes(".terraform"),
  );
}

describeWithTools("team use on the emulator: S3 state with locking and reviewable saved plans", () => {
  let emulator: Emulator;
  let workDirectory: string;
  let stackDirectory: string;
  let terraform: Terraform;
  let stateAccount: EmulatorAccount;
  const config = (overrides: Record<string, unknown> = {}) =>
    emulatorConfig(emulator.endpoint, {
      stateBackend: { bucket: STATE_BUCKET, key: STATE_KEY, region: "us-east-1", accountId: STATE_ACCOUNT },
      ...overrides,
    });
  const stateObjectExists = async (key: string) => {
    try {
      await stateAccount.s3.send(new HeadObjectCommand({ Bucket: STATE_BUCKET, Key: key }));
      return true;
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    emulator = await Emulator.start();
    // The state bucket is made once, outside the stack, in the account that keeps state.
    stateAccount = await EmulatorAccount.open(emulator.endpoint, STATE_ACCOUNT);
    await stateAccount.s3.send(new CreateBucketCommand({ Bucket: STATE_BUCKET }));
    await stateAccount.s3.send(
      new PutBucketVersioningCommand({ Bucket: STATE_BUCKET, VersioningConfiguration: { Status: "Enabled" } }),
    );
    workDirectory = mkdtempSync(path.join(os.tmpdir(), "cross-account-team-"));
    stackDirectory = await synthesizeInto(workDirectory, config());
    terraform = new Terraform(stackDirectory);
  });

  afterAll(async () => {
    await emulator?.stop();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  let planFile: string;
  let planned: string[];

  test("a saved plan comes with its JSON and a summary of what is created in each account", async () => {
    const saved = await savePlan(terraform, path.join(workDirectory, "plan"));
    planFile = saved.planFile;
    expect(
      saved.accounts.map((account) => [
        account.provider,
        account.accountId,
        account.create.length,
        account.update.length + account.replace.length + account.destroy.length,
      ]),
    ).toEqual([
      ["aws.destination", "222222222222", 9, 0],
      ["aws.source", "111111111111", 5, 0],
    ]);
    expect(saved.summary).toContain(
      "aws.source (account 111111111111): 5 to create, 0 to change, 0 to replace, 0 to destroy",
    );
    expect(saved.summary).toMatch(/\+ aws_lambda_function\.writer_function_/);
    expect(readFileSync(saved.summaryFile, "utf8")).toBe(saved.summary);
    const json = JSON.parse(readFileSync(saved.jsonFile, "utf8"));
    planned = json.resource_changes.map((change: { address: string }) => change.address).sort();
    expect(planned).toHaveLength(14);
  });

  test("while the saved plan is applied it holds the lock: a second plan fails with Terraform's lock message", async () => {
    const applying = applySavedPlan(terraform, planFile);
    const deadline = Date.now() + 60_000;
    while (!(await stateObjectExists(`${STATE_KEY}.tflock`)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 250));
    const second = await terraform.run(["plan", "-input=false", "-no-color", "-lock-timeout=0"], [0, 1]);
    await applying;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("Error acquiring the state lock");
  });

  test("the saved plan applied exactly what it listed; the state is in the bucket, not on disk, and the lock is gone", async () => {
    const state = (await terraform.run(["state", "list"])).stdout.split("\n").filter(Boolean).sort();
    expect(state).toEqual(planned);
    expect(await stateObjectExists(STATE_KEY)).toBe(true);
    expect(await stateObjectExists(`${STATE_KEY}.tflock`)).toBe(false);
    expect(localStateFiles(workDirectory)).toEqual([]);
    expect(existsSync(path.join(stackDirectory, "terraform.tfstate"))).toBe(false);
  });

  test("after both, a plan shows no changes", async () => {
    expect((await terraform.planHasChanges()).changes).toBe(false);
  });

  test("a saved plan is refused once the state moved on, so nothing but a reviewed plan is applied", async () => {
    await synthesizeInto(workDirectory, config({ logRetentionDays: 60 }));
    const stale = await savePlan(terraform, path.join(workDirectory, "plan-60"));
    expect(stale.accounts.find((account) => account.provider === "aws.source")?.update).toEqual([
      expect.stringMatching(/^aws_cloudwatch_log_group\./),
    ]);
    await synthesizeInto(workDirectory, config({ logRetentionDays: 90 }));
    await terraform.apply();
    const refused = await applySavedPlan(terraform, stale.planFile).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(CommandError);
    expect((refused as CommandError).result.stderr).toMatch(/Saved plan is stale/);
  });
});
