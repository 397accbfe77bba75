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
const ALICE = "arn:aws:iam::111111111111:user/alice";
const DESTINATION_ROLE = "arn:aws:iam::222222222222:role/assume-role-via-111111111111";

/** State files below a directory: *.tfstate and backups, but not .terraform/terraform.tfstate (the backend's settings). */
function localStateFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: "utf8" }).filter(
    (file) => /\.tfstate(\.backup)?$/.test(file) && !file.split(path.sep).includes(".terraform"),
  );
}

describeWithTools("team use on the emulator: S3 state with locking, reviewable saved plans, their access diff", () => {
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
    // A change that touches no policy: no change in access.
    expect(stale.accessDiff).toEqual([]);
    expect(readFileSync(stale.accessDiffFile, "utf8")).toContain("No change in access.");
    await synthesizeInto(workDirectory, config({ logRetentionDays: 90 }));
    await terraform.apply();
    const refused = await applySavedPlan(terraform, stale.planFile).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(CommandError);
    expect((refused as CommandError).result.stderr).toMatch(/Saved plan is stale/);
  });

  // What is deployed from here on: the config of the last apply (a log retention of 90 days).
  const deployed = { logRetentionDays: 90 };

  test('moving the deployed singular destination into destinations (named "destination") and adding one replaces nothing', async () => {
    await synthesizeInto(
      workDirectory,
      config({
        ...deployed,
        destination: undefined,
        destinations: [
          { name: "destination", accountId: "222222222222", region: "us-east-1" },
          { name: "archive", accountId: "333333333333", region: "us-east-1" },
        ],
        names: { writerRole: "cross-account-write-to-222222222222" },
      }),
    );
    const plan = await savePlan(terraform, path.join(workDirectory, "plan-migration"));
    expect(plan.accounts.flatMap((account) => [...account.replace, ...account.destroy])).toEqual([]);
    const byAlias = Object.fromEntries(plan.accounts.map((account) => [account.provider, account]));
    // The existing destination's resources moved to the provider of its account and region, unchanged.
    expect(byAlias["aws.destination-222222222222-us-east-1"].update).toEqual([]);
    expect(byAlias["aws.destination-333333333333-us-east-1"].create).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_iam_role\.destination-archive-access_role_/),
        expect.stringMatching(/^aws_dynamodb_table\.destination-archive-table_/),
        expect.stringMatching(/^aws_s3_bucket\.destination-archive-bucket_/),
      ]),
    );
    // The writer gets the new destination in its environment and a policy to assume its role.
    expect(byAlias["aws.source"].update).toEqual([expect.stringMatching(/^aws_lambda_function\.writer_function_/)]);
    expect(byAlias["aws.source"].create).toEqual([
      expect.stringMatching(/^aws_iam_role_policy\.writer_assume-archive-policy_/),
    ]);
  });

  test("adding a trusted principal: the access diff shows exactly that one new access, with its MFA condition; the reviewed plan grants it", async () => {
    await synthesizeInto(workDirectory, config({ ...deployed, trustedPrincipals: [{ arn: ALICE, requireMfa: true }] }));
    const saved = await savePlan(terraform, path.join(workDirectory, "plan-add"));
    expect(saved.accessDiff).toEqual([
      `NEW: ${ALICE} may assume ${DESTINATION_ROLE} (MFA required), and through it dynamodb:PutItem, dynamodb:BatchWriteItem on arn:aws:dynamodb:us-east-1:222222222222:table/wd-ddb-table; s3:PutObject on arn:aws:s3:::wd-records-222222222222-us-east-1/records/*`,
    ]);
    expect(readFileSync(saved.accessDiffFile, "utf8")).toContain(`- ${saved.accessDiff[0]}`);
    await applySavedPlan(terraform, saved.planFile);
  });

  test("removing it again: the diff shows that access removed, and nothing else", async () => {
    await synthesizeInto(workDirectory, config(deployed));
    const saved = await savePlan(terraform, path.join(workDirectory, "plan-remove"));
    expect(saved.accessDiff).toHaveLength(1);
    expect(saved.accessDiff[0]).toMatch(
      new RegExp(
        `^REMOVED: ${ALICE} may assume ${DESTINATION_ROLE.replaceAll("/", "\\/")} \\(MFA required\\), and through it `,
      ),
    );
  });
});
