import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import type { AwsCredentialIdentity } from "@smithy/types";
import extractZip from "extract-zip";
import { run } from "../shared/process";
import { assumeInEmulator, type EmulatorAccount } from "./emulator-accounts";

const INVOKE_BUNDLE = path.join(__dirname, "invoke-bundle.mjs");

/** The deployed writer as synthesized: where its bundle is and how Lambda runs it. */
export interface SynthesizedFunction {
  readonly functionName: string;
  readonly handler: string;
  readonly runtime: string;
  /** Absolute path of the zip Terraform uploads. */
  readonly archive: string;
  /** Base64 SHA-256 of the zip, as Lambda reports it in CodeSha256. */
  readonly codeSha256: string;
  /** The function's timeout: what the context's getRemainingTimeInMillis counts down from. */
  readonly timeoutSeconds: number;
}

/**
 * A Lambda function of a synthesized stack, read from its cdk.tf.json, with its zip's hash: the one named
 * `functionName`, or without it the stack's only function.
 */
export function synthesizedFunction(stackDirectory: string, functionName?: string): SynthesizedFunction {
  const json = JSON.parse(readFileSync(path.join(stackDirectory, "cdk.tf.json"), "utf8"));
  const blocks = (Object.values(json.resource.aws_lambda_function) as Array<Record<string, string>>).filter(
    (block) => functionName === undefined || block.function_name === functionName,
  );
  if (blocks.length !== 1) {
    const which = functionName === undefined ? "" : ` named ${functionName}`;
    throw new Error(`expected one aws_lambda_function${which} in ${stackDirectory}, found ${blocks.length}`);
  }
  const [block] = blocks;
  const archive = path.join(stackDirectory, block.filename);
  return {
    functionName: block.function_name,
    handler: block.handler,
    runtime: block.runtime,
    archive,
    codeSha256: createHash("sha256").update(readFileSync(archive)).digest("base64"),
    timeoutSeconds: Number(block.timeout ?? 3),
  };
}

/** How {@link invokeBundle} runs a bundle: what Lambda would give the function. */
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
export type InvocationOutcome = (
  | { result: { statusCode: number; body: string } }
  | { error: { name: string; message: string } }
) & { ms: number };

/** The writer's answer to one invocation, its body parsed; throws with the error if the invocation failed. */
// biome-ignore lint/suspicious/noExplicitAny: the body is the writer's JSON answer, which callers read field by field
export function resultOf(outcome: InvocationOutcome): { statusCode: number; body: any } {
  if ("error" in outcome) throw new Error(`writer failed: ${outcome.error.name}: ${outcome.error.message}`);
  return { statusCode: outcome.result.statusCode, body: JSON.parse(outcome.result.body) };
}

/**
 * Runs the real bundled artifact like the Lambda Node.js runtime: the zip extracted, a fresh Node process with the
 * function's environment and its execution role's credentials, the module loaded once, the events in turn.
 */
export async function invokeBundle(
  fn: SynthesizedFunction,
  events: readonly unknown[],
  options: InvokeOptions,
): Promise<InvocationOutcome[]> {
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
    BUNDLE_TIMEOUT_SECONDS: String(fn.timeoutSeconds),
  };
  const pacing = [String(options.concurrency ?? 1), String(options.intervalMs ?? 0)];
  const { stdout } = await run(process.execPath, [INVOKE_BUNDLE, codeDirectory, fn.handler, ...pacing], {
    env,
    input: JSON.stringify(events),
  });
  return stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as InvocationOutcome);
}

/** A function deployed in the emulator's source account: its name and its execution role. */
export interface DeployedFunction {
  readonly functionName: string;
  readonly executionRoleArn: string;
}

/**
 * Invokes a function deployed in the emulator's source account exactly as Lambda would run it: the bundle Terraform
 * uploaded (checked against the function's CodeSha256), the environment the function has, and credentials of its
 * execution role.
 */
export async function invokeDeployedFunction(
  source: EmulatorAccount,
  stackDirectory: string,
  deployedFunction: DeployedFunction,
  events: readonly unknown[],
  options: Partial<Pick<InvokeOptions, "endpoint" | "concurrency" | "intervalMs">> = {},
): Promise<InvocationOutcome[]> {
  const fn = synthesizedFunction(stackDirectory, deployedFunction.functionName);
  const deployed = await source.lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: deployedFunction.functionName }),
  );
  if (deployed.CodeSha256 !== fn.codeSha256) {
    throw new Error(
      `the deployed function's code (${deployed.CodeSha256}) is not the synthesized bundle (${fn.codeSha256}): deploy again`,
    );
  }
  const credentials = await assumeInEmulator(
    source.endpoint,
    deployedFunction.executionRoleArn,
    fn.functionName,
    source.region,
  );
  return invokeBundle(fn, events, {
    environment: deployed.Environment?.Variables ?? {},
    credentials,
    region: source.region,
    endpoint: options.endpoint ?? source.endpoint,
    concurrency: options.concurrency,
    intervalMs: options.intervalMs,
  });
}

/** {@link invokeDeployedFunction} for the writer, named by the stack's outputs. */
export function invokeDeployedWriter(
  source: EmulatorAccount,
  stackDirectory: string,
  outputs: Readonly<Record<string, string>>,
  events: readonly unknown[],
  options: Partial<Pick<InvokeOptions, "endpoint" | "concurrency" | "intervalMs">> = {},
): Promise<InvocationOutcome[]> {
  const writer = { functionName: outputs["function-name"], executionRoleArn: outputs["source-role-arn"] };
  return invokeDeployedFunction(source, stackDirectory, writer, events, options);
}
