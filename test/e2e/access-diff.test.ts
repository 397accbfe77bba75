import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Emulator } from "../../scripts/lib/emulator";
import { emulatorConfig, synthesizeInto } from "../../scripts/terraform/cdktf-project";
import { savePlan } from "../../scripts/terraform/reviewed-plan";
import { Terraform } from "../../scripts/terraform/terraform";
import type { CrossAccountConfigInput } from "../../stacks/config";
import { describeWithTools } from "./tools";

const ALICE = "arn:aws:iam::111111111111:user/alice";
const DESTINATION_ROLE = "arn:aws:iam::222222222222:role/assume-role-via-111111111111";

describeWithTools("the access diff of a saved plan, on the emulator", () => {
  let emulator: Emulator;
  let workDirectory: string;
  let terraform: Terraform;
  const synthesize = async (overrides: Partial<CrossAccountConfigInput> = {}) =>
    synthesizeInto(workDirectory, emulatorConfig(emulator.endpoint, overrides));
  const saveAs = (name: string) => savePlan(terraform, path.join(workDirectory, name));

  beforeAll(async () => {
    emulator = await Emulator.start();
    workDirectory = mkdtempSync(path.join(os.tmpdir(), "cross-account-access-"));
    terraform = new Terraform(await synthesize());
    await terraform.init();
    // Only the roles, their policies and what they name: the access of the stack, without the slow bucket lifecycle.
    await terraform.applyWriterPath();
  });

  afterAll(async () => {
    await emulator?.stop();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  test("a change that touches no policy (log retention): no change in access", async () => {
    await synthesize({ logRetentionDays: 60 });
    const saved = await saveAs("plan-retention");
    expect(saved.accounts.find((account) => account.provider === "aws.source")?.update).toEqual([
      expect.stringMatching(/^aws_cloudwatch_log_group\./),
    ]);
    expect(saved.accessDiff).toEqual([]);
    expect(readFileSync(saved.accessDiffFile, "utf8")).toContain("No change in access.");
  });

  test("adding a trusted principal: the diff shows exactly that one new access, with its MFA condition", async () => {
    await synthesize({ trustedPrincipals: [{ arn: ALICE, requireMfa: true }] });
    const saved = await saveAs("plan-add");
    expect(saved.accessDiff).toEqual([
      `NEW: ${ALICE} may assume ${DESTINATION_ROLE} (MFA required), and through it dynamodb:PutItem, dynamodb:BatchWriteItem on arn:aws:dynamodb:us-east-1:222222222222:table/wd-ddb-table; s3:PutObject on arn:aws:s3:::wd-records-222222222222-us-east-1/records/*`,
    ]);
    expect(readFileSync(saved.accessDiffFile, "utf8")).toContain(`- ${saved.accessDiff[0]}`);
    await terraform.applyWriterPath();
  });

  test("removing it again: the diff shows that access removed, and nothing else", async () => {
    await synthesize();
    const saved = await saveAs("plan-remove");
    expect(saved.accessDiff).toHaveLength(1);
    expect(saved.accessDiff[0]).toMatch(
      new RegExp(
        `^REMOVED: ${ALICE} may assume ${DESTINATION_ROLE.replaceAll("/", "\\/")} \\(MFA required\\), and through it `,
      ),
    );
  });
});
