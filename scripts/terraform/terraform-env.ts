import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BUILD_DIRECTORY, PROJECT_ROOT } from "../shared/process";

/** Environment variable naming a Terraform provider mirror directory (the one holding registry.terraform.io/). */
export const PROVIDER_MIRROR_VARIABLE = "TF_PROVIDER_MIRROR";
const AWS_PROVIDER_SOURCE = "registry.terraform.io/hashicorp/aws";
const SKIPPED_ROOT_DIRECTORIES = new Set([
  "proc",
  "sys",
  "dev",
  "run",
  "tmp",
  "boot",
  "lost+found",
  "mnt",
  "media",
  "snap",
]);

const holdsAwsProvider = (directory: string) => existsSync(path.join(directory, AWS_PROVIDER_SOURCE));

function childDirectories(directory: string): string[] {
  try {
    return readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
      .map((entry) => path.join(directory, entry.name));
  } catch {
    return [];
  }
}

/**
 * Finds an offline mirror of the hashicorp/aws provider: the directory named by TF_PROVIDER_MIRROR, else
 * Terraform's implied local mirror directories, else a shallow look (two levels) below the filesystem root.
 * Returns undefined when there is none: Terraform then downloads the provider as usual.
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env[PROVIDER_MIRROR_VARIABLE];
  if (given) {
    if (!holdsAwsProvider(given)) {
      throw new Error(
        `${PROVIDER_MIRROR_VARIABLE}="${given}" must be a directory holding ${AWS_PROVIDER_SOURCE}/<version>/<platform>/`,
      );
    }
    return given;
  }
  const home = os.homedir();
  const implied = [
    path.join(home, ".terraform.d", "plugins"),
    path.join(env.XDG_DATA_HOME ?? path.join(home, ".local", "share"), "terraform", "plugins"),
    ...(env.XDG_DATA_DIRS ?? "/usr/local/share:/usr/share")
      .split(":")
      .map((directory) => path.join(directory, "terraform", "plugins")),
  ];
  const root = path.parse(PROJECT_ROOT).root;
  const shallow = childDirectories(root)
    .filter((directory) => !SKIPPED_ROOT_DIRECTORIES.has(path.basename(directory)))
    .flatMap((directory) => [directory, ...childDirectories(directory)]);
  return [...implied, ...shallow].find(holdsAwsProvider);
}

/**
 * Writes a Terraform CLI config that installs hashicorp/aws from the mirror; other providers as usual. Every terraform
 * and cdktf command of the project (and test workers running side by side) writes this one file: it is replaced in
 * one rename, and left alone when it already says the same, so a Terraform reading it never sees it half written.
 */
export function writeTerraformCliConfig(mirror: string, file = path.join(BUILD_DIRECTORY, "terraform.rc")): string {
  const text = [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    `    include = [${JSON.stringify(AWS_PROVIDER_SOURCE)}]`,
    "  }",
    "  direct {",
    `    exclude = [${JSON.stringify(AWS_PROVIDER_SOURCE)}]`,
    "  }",
    "}",
    "",
  ].join("\n");
  if (existsSync(file) && readFileSync(file, "utf8") === text) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${Date.now()}`;
  writeFileSync(partial, text);
  renameSync(partial, file);
  return file;
}

/**
 * Go's garbage collection target for Terraform and its provider processes when GOGC is not set. Every provider
 * configuration is a process of the AWS provider, whose start builds its whole schema (about 4 s of CPU at Go's
 * default of 100): at 200 a plan of this stack takes about a quarter less CPU at the same peak memory, measured by
 * `npm run bench` (group `providers`, docs/performance.md). A GOGC of the user's own wins.
 */
export const TERRAFORM_GOGC = "200";

/**
 * The environment for terraform and cdktf commands: no phoning home, Go's collector at {@link TERRAFORM_GOGC} unless
 * GOGC is set, and a CLI config that uses the offline provider mirror when there is one. A TF_CLI_CONFIG_FILE naming a
 * missing file is dropped (Terraform warns).
 */
export function terraformEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...env, CHECKPOINT_DISABLE: "1", GOGC: env.GOGC || TERRAFORM_GOGC };
  const mirror = findProviderMirror(env);
  if (mirror) {
    result.TF_CLI_CONFIG_FILE = writeTerraformCliConfig(mirror);
  } else if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) {
    delete result.TF_CLI_CONFIG_FILE;
  }
  return result;
}
