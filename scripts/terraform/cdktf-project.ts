import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { AwsCredentialIdentity } from "@smithy/types";
import type { BulkObjectLayout } from "../../functions/writer/environment";
import { type CrossAccountConfigInput, type DestinationAccess, EXAMPLE_CONFIG } from "../../stacks/config";
import { STACK_NAME } from "../../stacks/identifiers";
import { type CommandResult, PROJECT_ROOT, run, TSX } from "../shared/process";
import { terraformEnvironment } from "./terraform-env";

const APP = path.join(PROJECT_ROOT, "main.ts");
const CDKTF = path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");

/** One entry of the stack's `destinations` output. */
export interface DestinationOutput {
  readonly account_id: string;
  readonly region: string;
  readonly access: DestinationAccess;
  readonly role_arn: string;
  readonly table_name: string;
  readonly bucket_name: string;
  readonly bulk_objects: BulkObjectLayout;
}

/** The example config pointed at an emulator; the demo and tests opt in to deleting data so they can clean up. */
export function emulatorConfig(
  endpoint: string,
  overrides: Partial<CrossAccountConfigInput> = {},
): CrossAccountConfigInput {
  return { ...EXAMPLE_CONFIG, emulator: { endpoint }, allowDataDeletion: true, ...overrides };
}

/** The config file of a work directory made by {@link synthesizeInto} or {@link prepareCdktfProject}. */
export const configFileIn = (workDirectory: string) => path.join(workDirectory, "cross-account.config.json");

/** The stack's Terraform directory in a cdktf output directory (cdktf.out). */
export const stackDirectoryIn = (outdir: string) => path.join(outdir, "stacks", STACK_NAME);

/** Writes a work directory's config file (what CROSS_ACCOUNT_CONFIG points at). Returns its path. */
export function writeConfigFile(workDirectory: string, config: CrossAccountConfigInput): string {
  mkdirSync(workDirectory, { recursive: true });
  const file = configFileIn(workDirectory);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/**
 * Runs the app (main.ts, the user's entry point) as cdktf does: in `cwd`, with `env` (which says where the config
 * is), into `outdir`. Returns the stack's Terraform directory.
 */
export async function synthesizeApp(cwd: string, outdir: string, env = process.env): Promise<string> {
  await run(TSX, [APP], { cwd, env: { ...env, CDKTF_OUTDIR: outdir } });
  return stackDirectoryIn(outdir);
}

/**
 * Synthesizes the app for a config into `workDirectory`, which then holds the config file, cdktf.out and the local
 * state. Returns the stack's Terraform directory.
 */
export async function synthesizeInto(workDirectory: string, config: CrossAccountConfigInput): Promise<string> {
  const configFile = writeConfigFile(workDirectory, config);
  const env = { ...process.env, CROSS_ACCOUNT_CONFIG: configFile };
  return synthesizeApp(workDirectory, path.join(workDirectory, "cdktf.out"), env);
}

/**
 * Makes `workDirectory` a cdktf project whose app is this project's main.ts with the given config, so the cdktf CLI
 * can be run there as a user runs it. Returns the stack's Terraform directory.
 */
export function prepareCdktfProject(workDirectory: string, config: CrossAccountConfigInput): string {
  writeConfigFile(workDirectory, config);
  writeFileSync(
    path.join(workDirectory, "cdktf.json"),
    `${JSON.stringify(
      {
        language: "typescript",
        app: `${TSX} ${APP}`,
        sendCrashReports: "false",
        terraformProviders: [],
        context: {},
      },
      null,
      2,
    )}\n`,
  );
  return stackDirectoryIn(path.join(workDirectory, "cdktf.out"));
}

/**
 * Runs the cdktf CLI in a project made by {@link prepareCdktfProject}. `--skip-provider-lock` keeps cdktf from
 * asking the registry for other platforms' checksums, which fails offline.
 */
export function cdktf(
  workDirectory: string,
  command: "deploy" | "destroy" | "diff" | "synth",
  okCodes?: readonly number[],
): Promise<CommandResult> {
  const args =
    command === "synth"
      ? [command]
      : [command, "--skip-provider-lock", ...(command === "diff" ? [] : ["--auto-approve"])];
  return run(CDKTF, [...args, "--no-color"], {
    cwd: workDirectory,
    env: { ...terraformEnvironment(), CROSS_ACCOUNT_CONFIG: configFileIn(workDirectory), FORCE_COLOR: "0" },
    okCodes,
  });
}

/**
 * Runs `npm run assume` (scripts/assume.ts) for a work directory's config with the caller's credentials, to
 * completion whatever its exit code. Asynchronous, so a proxy served by this process keeps answering it.
 */
export function runAssume(
  workDirectory: string,
  credentials: AwsCredentialIdentity,
  args: readonly string[],
): Promise<CommandResult> {
  return run(TSX, [path.join(PROJECT_ROOT, "scripts", "assume.ts"), ...args], {
    cwd: workDirectory,
    env: {
      ...process.env,
      CROSS_ACCOUNT_CONFIG: configFileIn(workDirectory),
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
    },
    okCodes: [0, 1, 2],
  });
}
