import { existsSync } from "node:fs";
import * as path from "node:path";
import { type CrossAccountConfig, localStateFileIn, workingFolder } from "../../stacks/config";
import { STACK_NAME } from "../../stacks/identifiers";
import { type CheckResult, ok, problem } from "./check";

/**
 * The config's working folder, and state left at the old place: before working folders, cdktf kept every config's
 * local state in the project root. A real-account config whose state is still there would plan everything anew.
 */
export function checkWorkingFolder(config: CrossAccountConfig, env: NodeJS.ProcessEnv, root: string): CheckResult {
  const folder = workingFolder(env, root);
  const shown = path.relative(root, folder);
  if (config.stateBackend) return ok("working folder", shown, "synth output here; state in S3 (stateBackend)");
  const state = localStateFileIn(folder);
  const old = path.join(root, `terraform.${STACK_NAME}.tfstate`);
  if (!config.emulator && existsSync(old) && !existsSync(state)) {
    return problem(
      "working folder",
      shown,
      `local state from before working folders is at ${old}; this config's state is now ${state}`,
      `mkdir -p ${shown} && mv ${path.relative(root, old)} ${path.relative(root, state)}   (only if that state is this config's)`,
    );
  }
  return ok(
    "working folder",
    shown,
    `synth output and local state (${path.basename(state)}${existsSync(state) ? "" : ", none yet"})`,
  );
}
