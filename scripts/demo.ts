import { rmSync } from "node:fs";
import * as path from "node:path";
import { EXAMPLE_DESTINATION_ACCOUNT_ID, EXAMPLE_SOURCE_ACCOUNT_ID, resolveConfig } from "../stacks/config";
import { EMULATOR_DEPLOY_ROLE_NAME } from "../stacks/identifiers";
import type { AccessMap } from "./access-map/access-map";
import { shortName } from "./access-map/names";
import { EmulatorAccount } from "./emulator/emulator-accounts";
import {
  DEMO_MFA_CODE,
  DEMO_PATTERNS,
  type DemoPattern,
  type DemoSetup,
  demoPatternsOf,
  prepareDemo,
} from "./lib/demo-patterns";
import { Emulator, MissingToolError, requireTools } from "./lib/emulator";
import { BUILD_DIRECTORY, UsageError } from "./shared/process";
import { configFileIn, synthesizeInto } from "./terraform/cdktf-project";
import { Terraform } from "./terraform/terraform";
import { readDeployment } from "./verify/deployment";
import { countsOf, outcomeLine, summaryTable } from "./verify/report";
import { openVerifyContext, verifyDeployment } from "./verify/verify";

const USAGE = `Usage: npm start [-- --keep] [--pattern NAME]...

Deploys every access pattern with the embedded example accounts (${EXAMPLE_SOURCE_ACCOUNT_ID} -> ${EXAMPLE_DESTINATION_ACCOUNT_ID}) to a local
AWS emulator: the writer, source principals (an instance role and an MFA operator), credential vending (one caller)
and the inventory (over an organization the emulator makes). Then runs npm run verify's checks against it, prints the
access map and destroys everything again. Needs terraform and moto_server on PATH; no AWS account.

  --pattern NAME  deploy and verify only this pattern (repeatable): ${DEMO_PATTERNS.join(", ")};
                  the writer's destination (table, bucket, role) is the stack's core and always deployed
  --keep          leave the emulator and the deployment running, and print how to reach and remove them
  --help          show this text`;

const WORK_DIRECTORY = path.join(BUILD_DIRECTORY, "demo");
const STEPS = 6;
// The AWS SDK notes that releases after January 2027 need Node 22; the README says so once, the demo stays quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const step = (number: number, text: string) => console.log(`[${number}/${STEPS} ${elapsed()}] ${text}`);
const detail = (text: string) => console.log(`        ${text}`);

/** The command line: `--keep`, `--help` and repeatable `--pattern NAME`. */
export function parseDemoArguments(args: readonly string[]): { keep: boolean; help: boolean; patterns: DemoPattern[] } {
  const names: string[] = [];
  let keep = false;
  let help = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === "--keep") keep = true;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--pattern") {
      const value = args[index + 1];
      if (value === undefined || value.startsWith("--"))
        throw new UsageError(`--pattern needs a value: one of ${DEMO_PATTERNS.join(", ")}`);
      names.push(value);
      index += 1;
    } else throw new UsageError(`unknown option ${JSON.stringify(arg)}; allowed: --keep, --pattern NAME, --help`);
  }
  return { keep, help, patterns: demoPatternsOf(names) };
}

async function main(args: string[]): Promise<void> {
  const { keep, help, patterns } = parseDemoArguments(args);
  if (help) {
    console.log(USAGE);
    return;
  }
  requireTools(["terraform", "moto_server"]);

  step(1, `Starting the local AWS emulator (moto_server) for the patterns: ${patterns.join(", ")}`);
  const emulator = await Emulator.start({ detached: keep });
  detail(`${emulator.endpoint} (pid ${emulator.pid})`);
  let setup: DemoSetup | undefined;
  let succeeded = false;
  try {
    setup = await prepareDemo(emulator.endpoint, patterns, { translate: !keep });
    for (const line of setup.made) detail(line);

    step(2, "Synthesizing the stack (main.ts, the example config with the patterns) to Terraform JSON");
    rmSync(WORK_DIRECTORY, { recursive: true, force: true });
    const stackDirectory = await synthesizeInto(WORK_DIRECTORY, setup.config);
    detail(path.relative(process.cwd(), path.join(stackDirectory, "cdk.tf.json")));

    step(
      3,
      "Deploying every account in one plan: terraform init + apply (a minute or two: the AWS provider waits for each bucket's lifecycle rule to settle)",
    );
    const terraform = new Terraform(stackDirectory);
    await terraform.init();
    await terraform.apply();
    const deployment = await readDeployment(stackDirectory);
    detail(`${deployment.state.values?.root_module?.resources?.length} resources in the state`);

    step(4, "Verifying each pattern where it was deployed (npm run verify's checks)");
    const config = resolveConfig(setup.config);
    const { mapOfSynthesized } = await import("./access-map/sources");
    const baseline = await mapOfSynthesized(deployment.synthesized as Parameters<typeof mapOfSynthesized>[0]);
    const context = await openVerifyContext(config, deployment, {
      callerCredentials: setup.operator,
      mfaCode: DEMO_MFA_CODE,
      baseline: { map: baseline, name: "the access map of the synthesized config" },
    });
    let accessMap: AccessMap | undefined;
    const outcomes = await verifyDeployment(context, {
      patterns: [...patterns, "access"],
      onOutcome: (outcome) => detail(outcomeLine(outcome)),
      onAccessMap: (map) => {
        accessMap = map;
      },
    });
    for (const line of summaryTable(outcomes).split("\n")) detail(line);
    if (countsOf(outcomes).failed > 0) throw new Error("verify found failures: see the lines above");

    step(5, "The access map of what is deployed: who can reach what");
    if (accessMap) await printAccessMap(accessMap);

    if (keep) {
      step(6, "Keeping the deployment (--keep)");
      detail(`emulator: ${emulator.endpoint}, pid ${emulator.pid} (stop it with: kill ${emulator.pid})`);
      detail(
        `verify:   CROSS_ACCOUNT_CONFIG=${path.relative(process.cwd(), configFileIn(WORK_DIRECTORY))} npm run verify -- --stack ${path.relative(process.cwd(), stackDirectory)}`,
      );
      detail(
        patterns.includes("inventory")
          ? `remove:   kill ${emulator.pid} (the emulator holds everything in memory; moto cannot destroy a StackSet of OU targets without the demo's translator)`
          : `destroy:  cd ${path.relative(process.cwd(), stackDirectory)} && TF_CLI_CONFIG_FILE=${path.relative(stackDirectory, path.join(BUILD_DIRECTORY, "terraform.rc"))} terraform destroy`,
      );
    } else {
      step(6, "Destroying everything (the demo opts in to deleting its data) and checking that nothing is left");
      // The state is as fresh as the apply that wrote it: no refresh of every resource first.
      await terraform.run(["destroy", "-input=false", "-auto-approve", "-no-color", "-refresh=false"]);
      await checkNothingLeft(emulator.endpoint, setup.members);
    }
    succeeded = true;
    console.log(`Done in ${elapsed()}: ${patterns.join(", ")} deployed, verified and ${keep ? "kept" : "destroyed"}.`);
  } finally {
    if (!keep || !succeeded) {
      await setup?.translator?.stop();
      await emulator.stop();
    }
  }
}

/** Prints the map's rows as a table and writes access.md, access.json and access.svg next to the demo's stack. */
async function printAccessMap(map: AccessMap): Promise<void> {
  for (const row of map.rows) {
    const via = row.via === "directly" ? "" : ` via ${shortName(row.via)}`;
    const when = row.conditions.length > 0 ? ` when ${row.conditions.join(", ")}` : "";
    detail(`${shortName(row.principal)}${via}: ${row.actions.join(", ")} on ${shortName(row.resource)}${when}`);
  }
  const { writeAccessMap } = await import("./access-map/sources");
  const files = await writeAccessMap(map, path.join(WORK_DIRECTORY, "access"), "the demo's deployed state");
  detail(
    `${map.rows.length} accesses; the picture: ${path.relative(process.cwd(), files[2])} (table: ${path.relative(process.cwd(), files[0])})`,
  );
}

/** After destroy: no table, bucket, function, log group or stack role is left in any account the demo used. */
async function checkNothingLeft(endpoint: string, members: readonly string[]): Promise<void> {
  const leftovers: string[] = [];
  for (const accountId of [EXAMPLE_SOURCE_ACCOUNT_ID, EXAMPLE_DESTINATION_ACCOUNT_ID, ...members]) {
    const held = await (await EmulatorAccount.open(endpoint, accountId)).inventory();
    const roles = held.roles.filter((role) => role !== EMULATOR_DEPLOY_ROLE_NAME);
    const kinds = {
      roles,
      tables: held.tables,
      buckets: held.buckets,
      functions: held.functions,
      "log groups": held.logGroups,
    };
    const left = Object.entries(kinds).filter(([, names]) => names.length > 0);
    for (const [kind, names] of left) leftovers.push(`${accountId} ${kind}: ${names.join(", ")}`);
    if (left.length === 0) detail(`account ${accountId}: no roles, tables, buckets, functions or log groups left`);
  }
  if (leftovers.length > 0) throw new Error(`destroy left resources behind: ${leftovers.join("; ")}`);
}

if (require.main === module) {
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
}
