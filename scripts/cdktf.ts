import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { CONFIG_VARIABLE, ConfigError, loadConfig, synthOutputIn, workingFolder } from "../stacks/config";
import { doctorTable } from "./doctor/report";
import { runDoctor } from "./doctor/run";
import { PROJECT_ROOT } from "./shared/process";
import { terraformEnvironment } from "./terraform/terraform-env";

// Runs the cdktf CLI with the project's Terraform environment: `npm run synth|plan|deploy|destroy`. Synth output goes
// to the config's working folder; plan and deploy first check the credentials of every account, the principals the
// policies name and where the state is (--skip-doctor: not).
const SKIP_DOCTOR = "--skip-doctor";
const args = process.argv.slice(2);
const [command] = args;

/**
 * The doctor's credential part: undefined when every account is reached as the config says, the users and roles
 * the policies name exist there, and the local state is where this config keeps it, else its answer.
 */
async function credentialProblems(): Promise<string | undefined> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  const results = await runDoctor(config, { env: process.env, root: PROJECT_ROOT, credentialsOnly: true });
  if (results.every((result) => result.status !== "problem")) return undefined;
  return [
    `${process.env[CONFIG_VARIABLE] ?? "the embedded example"}: not ready for Terraform (the accounts, the users and roles the policies name, the state).`,
    "",
    doctorTable(results),
    "",
    `Terraform was not run. Fix the problems above (npm run doctor checks everything), or pass ${SKIP_DOCTOR}.`,
  ].join("\n");
}

async function main(): Promise<number> {
  if ((command === "diff" || command === "deploy") && !args.includes(SKIP_DOCTOR)) {
    const answer = await credentialProblems();
    if (answer) {
      console.error(answer);
      return 1;
    }
  }
  const folder = workingFolder(process.env, PROJECT_ROOT);
  // cdktf makes its output directory but not the folders above it.
  mkdirSync(folder, { recursive: true });
  const output = synthOutputIn(folder);
  const hasOutput = args.some((arg) => arg === "--output" || arg === "-o" || arg.startsWith("--output="));
  const result = spawnSync(
    "npx",
    [
      "cdktf",
      ...args.filter((arg) => arg !== SKIP_DOCTOR),
      ...(hasOutput ? [] : ["--output", path.relative(PROJECT_ROOT, output)]),
    ],
    { cwd: PROJECT_ROOT, env: terraformEnvironment(), stdio: "inherit" },
  );
  return result.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
