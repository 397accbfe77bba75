import { createHash } from "node:crypto";
import * as path from "node:path";
import { STACK_NAME } from "../identifiers";
import { CONFIG_VARIABLE } from "./load";

/** The folder, under the project, that holds one working folder per config. */
export const WORK_ROOT = ".work";
/** The embedded example's working folder name: stable, so `npm start` and the tests find it. */
export const EXAMPLE_WORK_NAME = "example";

/**
 * The working folder of the config an environment names: `<root>/.work/<file name>-<8 hex of its absolute path>`
 * for CROSS_ACCOUNT_CONFIG, `<root>/.work/example` for the embedded example. It holds the config's cdktf.out and
 * its local state, so two configs never overwrite each other's. Chosen from the file's path, not its content:
 * editing a config keeps its state. `root` is where the commands run (cdktf runs the app in the project root).
 */
export function workingFolder(env: NodeJS.ProcessEnv, root: string = process.cwd()): string {
  const file = env[CONFIG_VARIABLE];
  if (!file) return path.join(root, WORK_ROOT, EXAMPLE_WORK_NAME);
  const absolute = path.resolve(root, file);
  const stem =
    path
      .basename(absolute)
      .replace(/\.json$/i, "")
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .slice(0, 40) || "config";
  const digest = createHash("sha256").update(absolute).digest("hex").slice(0, 8);
  return path.join(root, WORK_ROOT, `${stem}-${digest}`);
}

/** The synth output (cdktf's `--output`) in a working folder. */
export const synthOutputIn = (folder: string) => path.join(folder, "cdktf.out");

/** The local state file in a working folder (used when the config has no stateBackend). */
export const localStateFileIn = (folder: string) => path.join(folder, `terraform.${STACK_NAME}.tfstate`);
