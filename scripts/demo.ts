import { rmSync } from "node:fs";
import * as path from "node:path";
import { EXAMPLE_DESTINATION_ACCOUNT_ID, EXAMPLE_SOURCE_ACCOUNT_ID } from "../stacks/config";
import { invokeDeployedWriter } from "./lib/bundle-runner";
import { Emulator, MissingToolError, requireTools } from "./lib/emulator";
import { EmulatorAccount } from "./lib/emulator-accounts";
import { BUILD_DIRECTORY, UsageError } from "./shared/process";
import { emulatorConfig, synthesizeInto } from "./terraform/cdktf-project";
import { Terraform } from "./terraform/terraform";

const USAGE = `Usage: npm start [-- --keep]

Deploys the stack with the embedded example accounts (${EXAMPLE_SOURCE_ACCOUNT_ID} -> ${EXAMPLE_DESTINATION_ACCOUNT_ID}) to a local
AWS emulator, runs the writer's bundle as Lambda would, reads the records back in the destination account and destroys
everything again. Needs terraform and moto_server on PATH; no AWS account.

  --keep   leave the emulator and the deployment running, and print how to reach and remove them
  --help   show this text`;

const WORK_DIRECTORY = path.join(BUILD_DIRECTORY, "demo");
// The AWS SDK notes that releases after January 2027 need Node 22; the README says so once, the demo stays quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const step = (number: number, text: string) => console.log(`[${number}/6 ${elapsed()}] ${text}`);
const detail = (text: string) => console.log(`        ${text}`);

async function main(args: string[]): Promise<void> {
  const unknown = args.filter((arg) => !["--keep", "--help", "-h"].includes(arg));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown option ${unknown.map((arg) => JSON.stringify(arg)).join(", ")}; allowed: --keep, --help`,
    );
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return;
  }
  const keep = args.includes("--keep");
  requireTools(["terraform", "moto_server"]);

  step(1, "Starting the local AWS emulator (moto_server) with two empty accounts");
  const emulator = await Emulator.start({ detached: keep });
  detail(`${emulator.endpoint} (pid ${emulator.pid})`);
  let succeeded = false;
  try {
    step(2, "Synthesizing the stack (main.ts, the embedded example config) to Terraform JSON");
    rmSync(WORK_DIRECTORY, { recursive: true, force: true });
    const stackDirectory = await synthesizeInto(WORK_DIRECTORY, emulatorConfig(emulator.endpoint));
    detail(path.relative(process.cwd(), path.join(stackDirectory, "cdk.tf.json")));

    step(3, "Deploying both accounts in one plan: terraform init + apply (about a minute)");
    const terraform = new Terraform(stackDirectory);
    await terraform.init();
    await terraform.apply();
    const outputs = await terraform.outputs();
    detail(
      `source ${EXAMPLE_SOURCE_ACCOUNT_ID}: function ${outputs["function-name"]}, execution role ${outputs["source-role-arn"]}`,
    );
    detail(
      `destination ${EXAMPLE_DESTINATION_ACCOUNT_ID}: role ${outputs["destination-role-arn"]}, table ${outputs["table-name"]}, bucket ${outputs["bucket-name"]}`,
    );

    step(4, "Running the bundled writer as Lambda would: its zip, its environment, its execution role's credentials");
    const [source, destination] = await Promise.all([
      EmulatorAccount.open(emulator.endpoint, EXAMPLE_SOURCE_ACCOUNT_ID),
      EmulatorAccount.open(emulator.endpoint, EXAMPLE_DESTINATION_ACCOUNT_ID),
    ]);
    const events = [
      {},
      {
        timestamp: new Date().toISOString(),
        uuid: "3b241101-e2bb-4255-8caf-4136c566a962",
        data: { source: "npm start", note: "cross-account write" },
      },
    ];
    const outcomes = await invokeDeployedWriter(source, stackDirectory, outputs, events);
    for (const [index, outcome] of outcomes.entries()) {
      if ("error" in outcome) throw new Error(`the writer failed: ${outcome.error.message}`);
      detail(`event ${JSON.stringify(events[index])} -> ${outcome.result.statusCode} ${outcome.result.body}`);
    }

    step(5, "Reading back with destination-account credentials; the source account must hold no table or bucket");
    const items = await destination.items(outputs["table-name"]);
    detail(`table ${outputs["table-name"]} in ${EXAMPLE_DESTINATION_ACCOUNT_ID}: ${items.length} items`);
    for (const item of items) detail(`  ${JSON.stringify(item)}`);
    const objects = await destination.objectVersions(outputs["bucket-name"], `${outputs["bucket-prefix"]}/`);
    detail(
      `bucket ${outputs["bucket-name"]} in ${EXAMPLE_DESTINATION_ACCOUNT_ID}: ${objects.map((object) => object.key).join(", ")}`,
    );
    const sourceInventory = await source.inventory();
    detail(
      `source ${EXAMPLE_SOURCE_ACCOUNT_ID}: tables [${sourceInventory.tables.join(", ")}], buckets [${sourceInventory.buckets.join(", ")}]`,
    );
    if (
      items.length !== events.length ||
      objects.length !== events.length ||
      sourceInventory.tables.length > 0 ||
      sourceInventory.buckets.length > 0
    ) {
      throw new Error("the records are not where they belong: see the lines above");
    }

    if (keep) {
      step(6, "Keeping the deployment (--keep)");
      detail(`emulator: ${emulator.endpoint}, pid ${emulator.pid} (stop it with: kill ${emulator.pid})`);
      detail(
        `destroy:  cd ${path.relative(process.cwd(), stackDirectory)} && TF_CLI_CONFIG_FILE=${path.relative(stackDirectory, path.join(BUILD_DIRECTORY, "terraform.rc"))} terraform destroy`,
      );
    } else {
      step(6, "Destroying everything (the demo opts in to deleting its data)");
      await terraform.destroy();
    }
    succeeded = true;
    console.log(
      `Done in ${elapsed()}: the source account's Lambda role wrote into the destination account through one assumed role.`,
    );
  } finally {
    if (!keep || !succeeded) await emulator.stop();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof MissingToolError) {
    console.error(`npm start needs tools that are not installed.\n${error.message}`);
    process.exit(2);
  }
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(`npm start failed after ${elapsed()}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
