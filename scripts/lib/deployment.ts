import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import extractZip from "extract-zip";
import { CrossAccountConfigInput, EXAMPLE_CONFIG } from "../../stacks/config";
import { EMULATOR_DEPLOY_ROLE_NAME, STACK_NAME } from "../../stacks/identifiers";
import { CommandResult, run } from "./terraform";
import { PROJECT_ROOT, terraformEnvironment } from "./terraform-env";

const TSX = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
const CDKTF = path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");
const INVOKE_BUNDLE = path.join(__dirname, "invoke-bundle.mjs");

/** The example config pointed at an emulator; the demo and tests opt in to deleting data so they can clean up. */
export function emulatorConfig(endpoint: string, overrides: Partial<CrossAccountConfigInput> = {}): CrossAccountConfigInput {
  return { ...EXAMPLE_CONFIG, emulator: { endpoint }, allowDataDeletion: true, ...overrides };
}

/** The config file of a work directory made by {@link synthesizeInto} or {@link prepareCdktfProject}. */
export const configFileIn = (workDirectory: string) => path.join(workDirectory, "cross-account.config.json");

/** Writes a work directory's config file (what CROSS_ACCOUNT_CONFIG points at). Returns its path. */
export function writeConfigFile(workDirectory: string, config: CrossAccountConfigInput): string {
  mkdirSync(workDirectory, { recursive: true });
  const file = configFileIn(workDirectory);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/**
 * Synthesizes the app (main.ts, the user's entry point) for a config into `workDirectory`, which then holds the
 * config file, cdktf.out and the local state. Returns the stack's Terraform directory.
 */
export async function synthesizeInto(workDirectory: string, config: CrossAccountConfigInput): Promise<string> {
  const configFile = writeConfigFile(workDirectory, config);
  const outdir = path.join(workDirectory, "cdktf.out");
  await run(TSX, [path.join(PROJECT_ROOT, "main.ts")], {
    cwd: workDirectory,
    env: { ...process.env, CROSS_ACCOUNT_CONFIG: configFile, CDKTF_OUTDIR: outdir },
  });
  return path.join(outdir, "stacks", STACK_NAME);
}

/**
 * Makes `workDirectory` a cdktf project whose app is this project's main.ts with the given config, so the cdktf CLI
 * can be run there as a user runs it. Returns the stack's Terraform directory.
 */
export function prepareCdktfProject(workDirectory: string, config: CrossAccountConfigInput): string {
  writeConfigFile(workDirectory, config);
  writeFileSync(path.join(workDirectory, "cdktf.json"), `${JSON.stringify({
    language: "typescript",
    app: `${TSX} ${path.join(PROJECT_ROOT, "main.ts")}`,
    sendCrashReports: "false",
    terraformProviders: [],
    context: {},
  }, null, 2)}\n`);
  return path.join(workDirectory, "cdktf.out", "stacks", STACK_NAME);
}

/**
 * Runs the cdktf CLI in a project made by {@link prepareCdktfProject}. `--skip-provider-lock` keeps cdktf from
 * asking the registry for other platforms' checksums, which fails offline.
 */
export function cdktf(workDirectory: string, command: "deploy" | "destroy" | "diff" | "synth", okCodes?: readonly number[]): Promise<CommandResult> {
  const args = command === "synth" ? [command] : [command, "--skip-provider-lock", ...(command === "diff" ? [] : ["--auto-approve"])];
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
export function runAssume(workDirectory: string, credentials: AwsCredentialIdentity, args: readonly string[]): Promise<CommandResult> {
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

/** Credentials that act in the emulator as the given role (moto: the role's account is the caller's account). */
export async function assumeInEmulator(endpoint: string, roleArn: string, sessionName: string, region = "us-east-1"): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({ region, endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const { Credentials: credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
  return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken };
}

/** Administrator credentials of an account in the emulator, as the deploy role the providers use. */
export function accountAdmin(endpoint: string, accountId: string): Promise<AwsCredentialIdentity> {
  return assumeInEmulator(endpoint, `arn:aws:iam::${accountId}:role/${EMULATOR_DEPLOY_ROLE_NAME}`, "inspect");
}

/** The deployed writer as synthesized: where its bundle is and how Lambda runs it. */
export interface SynthesizedFunction {
  readonly functionName: string;
  readonly handler: string;
  readonly runtime: string;
  /** Absolute path of the zip Terraform uploads. */
  readonly archive: string;
  /** Base64 SHA-256 of the zip, as Lambda reports it in CodeSha256. */
  readonly codeSha256: string;
}

export function synthesizedFunction(stackDirectory: string): SynthesizedFunction {
  const json = JSON.parse(readFileSync(path.join(stackDirectory, "cdk.tf.json"), "utf8"));
  const blocks = Object.values(json.resource.aws_lambda_function) as Array<Record<string, string>>;
  if (blocks.length !== 1) throw new Error(`expected one aws_lambda_function in ${stackDirectory}, found ${blocks.length}`);
  const [block] = blocks;
  const archive = path.join(stackDirectory, block.filename);
  return {
    functionName: block.function_name,
    handler: block.handler,
    runtime: block.runtime,
    archive,
    codeSha256: createHash("sha256").update(readFileSync(archive)).digest("base64"),
  };
}

export interface InvokeOptions {
  /** The function's environment variables as deployed. */
  readonly environment: Readonly<Record<string, string>>;
  /** Credentials of the function's execution role, as Lambda gives them to the function. */
  readonly credentials: AwsCredentialIdentity;
  readonly region: string;
  /** Endpoint every AWS SDK client of the function uses (the emulator). */
  readonly endpoint: string;
  /** Events handled at once in the process. @default 1 */
  readonly concurrency?: number;
  /** Pause after each event, to spread a run over time. @default 0 */
  readonly intervalMs?: number;
}

/** What one invocation returned or threw, and how long it took. */
export type InvocationOutcome = ({ result: { statusCode: number; body: string } } | { error: { name: string; message: string } }) & { ms: number };

/** The writer's answer to one invocation, its body parsed; throws with the error if the invocation failed. */
export function resultOf(outcome: InvocationOutcome): { statusCode: number; body: any } {
  if ("error" in outcome) throw new Error(`writer failed: ${outcome.error.name}: ${outcome.error.message}`);
  return { statusCode: outcome.result.statusCode, body: JSON.parse(outcome.result.body) };
}

/**
 * Runs the real bundled artifact like the Lambda Node.js runtime: the zip extracted, a fresh Node process with the
 * function's environment and its execution role's credentials, the module loaded once, the events in turn.
 */
export async function invokeBundle(fn: SynthesizedFunction, events: readonly unknown[], options: InvokeOptions): Promise<InvocationOutcome[]> {
  const codeDirectory = path.join(path.dirname(fn.archive), "extracted");
  await extractZip(fn.archive, { dir: codeDirectory });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...options.environment,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_ACCESS_KEY_ID: options.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: options.credentials.sessionToken,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_ENDPOINT_URL: options.endpoint,
    // Lambda runs nodejs22.x; an older local Node would only add the SDK's notice that it will need Node 22.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  const output = await runWithInput(process.execPath, [INVOKE_BUNDLE, codeDirectory, fn.handler, String(options.concurrency ?? 1), String(options.intervalMs ?? 0)], env, JSON.stringify(events));
  return output.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as InvocationOutcome);
}

function runWithInput(command: string, args: string[], env: NodeJS.ProcessEnv, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`bundle process exited with ${code}:\n${stderr.trim()}`))));
    child.stdin.end(input);
  });
}
