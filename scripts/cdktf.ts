import { spawnSync } from "node:child_process";
import { PROJECT_ROOT } from "./lib/process";
import { terraformEnvironment } from "./lib/terraform-env";

// Runs the cdktf CLI with the project's Terraform environment: `npm run synth|plan|deploy|destroy`.
const result = spawnSync("npx", ["cdktf", ...process.argv.slice(2)], {
  cwd: PROJECT_ROOT,
  env: terraformEnvironment(),
  stdio: "inherit",
});
process.exit(result.status ?? 1);
