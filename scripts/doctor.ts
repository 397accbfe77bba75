import * as path from "node:path";
import { CONFIG_VARIABLE, ConfigError, loadConfig, workingFolder } from "../stacks/config";
import { doctorJson, doctorTable } from "./doctor/report";
import { runDoctor } from "./doctor/run";
import { PROJECT_ROOT } from "./shared/process";

// `npm run doctor [-- --json]`: read-only preflight of the config in use; exits 1 on any problem, 2 on bad usage.
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--json");
if (unknown.length > 0) {
  console.error(`unknown argument ${unknown.join(" ")}: npm run doctor [-- --json]`);
  process.exit(2);
}

async function main(): Promise<number> {
  const which = process.env[CONFIG_VARIABLE] ?? "the embedded example";
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  const started = Date.now();
  const results = await runDoctor(config, { env: process.env, root: PROJECT_ROOT });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  if (args.includes("--json")) {
    console.log(doctorJson(which, results, seconds));
  } else {
    const folder = path.relative(PROJECT_ROOT, workingFolder(process.env, PROJECT_ROOT));
    console.log(`doctor: ${which} (working folder ${folder}), ${seconds} s\n`);
    console.log(doctorTable(results));
  }
  return results.some((result) => result.status === "problem") ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
