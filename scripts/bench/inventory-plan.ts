import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Emulator } from "../lib/emulator";
import { createEmulatorOrganization, EMULATOR_MANAGEMENT_ACCOUNT_ID } from "../lib/emulator-organization";
import { emulatorConfig, synthesizeInto } from "../terraform/cdktf-project";
import { Terraform } from "../terraform/terraform";
import { terraformEnvironment } from "../terraform/terraform-env";
import { measure, median, ms, progress, RUNS, record } from "./table";

const SIZES = [3, 50] as const;

/**
 * `terraform plan` of the inventory's StackSet path with its instances deployed to an OU of `members` accounts:
 * median wall time and the peak memory of the largest process (the provider), as `/usr/bin/time` reports it.
 */
async function planFigures(members: number): Promise<{ ms: number; rssKb: number }> {
  const emulator = await Emulator.start();
  const scratch = mkdtempSync(path.join(os.tmpdir(), `bench-inventory-${members}-`));
  try {
    const organization = await createEmulatorOrganization(emulator.endpoint, members);
    const directory = await synthesizeInto(
      scratch,
      emulatorConfig(emulator.endpoint, {
        inventory: {
          organizationalUnitIds: [organization.unitId],
          regions: ["us-east-1"],
          organizationId: organization.organizationId,
          organization: { accountId: EMULATOR_MANAGEMENT_ACCOUNT_ID, region: "us-east-1" },
        },
      }),
    );
    const terraform = new Terraform(directory);
    await terraform.init();
    const synthesized = JSON.parse(readFileSync(path.join(directory, "cdk.tf.json"), "utf8"));
    const [instance] = Object.keys(synthesized.resource.aws_cloudformation_stack_set_instance);
    const target = `-target=aws_cloudformation_stack_set_instance.${instance}`;
    progress(`inventory plan: StackSet deployed to ${members} member accounts`);
    await terraform.run(["apply", "-input=false", "-auto-approve", "-no-color", target]);
    const runs: Array<{ ms: number; rssKb: number }> = [];
    for (let run = 0; run < RUNS; run += 1) {
      const result = await measure(
        "/usr/bin/time",
        ["-f", "PEAK_RSS_KB %M", "terraform", "plan", "-input=false", "-no-color", "-lock=false", target],
        { ...terraformEnvironment(), TF_IN_AUTOMATION: "1" },
        directory,
      );
      runs.push({ ms: result.ms, rssKb: result.rssKb ?? 0 });
    }
    return { ms: median(runs.map((run) => run.ms)), rssKb: median(runs.map((run) => run.rssKb)) };
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One provider for the organization, whatever its size: the plan with 50 member accounts within 1.2x of 3. */
export async function inventoryPlanFigures(): Promise<void> {
  const [small, large] = [await planFigures(SIZES[0]), await planFigures(SIZES[1])];
  const time = large.ms / small.ms;
  const memory = large.rssKb / small.rssKb;
  record({
    figure: `inventory: terraform plan of the StackSet, ${SIZES[1]} member accounts in the OU`,
    value: ms(large.ms),
    baseline: `${ms(small.ms)} (${SIZES[0]} accounts)`,
    ratio: `${time.toFixed(2)}x`,
    target: "<= 1.2x",
    met: time <= 1.2 ? "yes" : "no",
  });
  record({
    figure: `inventory: terraform plan peak memory (largest process), ${SIZES[1]} member accounts`,
    value: `${(large.rssKb / 1024).toFixed(0)} MB`,
    baseline: `${(small.rssKb / 1024).toFixed(0)} MB (${SIZES[0]} accounts)`,
    ratio: `${memory.toFixed(2)}x`,
    target: "<= 1.2x",
    met: memory <= 1.2 ? "yes" : "no",
  });
}
