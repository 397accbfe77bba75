import { readFileSync } from "node:fs";
import * as path from "node:path";
import { type CommandResult, run } from "../shared/process";
import type { DestinationOutput } from "./cdktf-project";
import { terraformEnvironment } from "./terraform-env";

/** Terraform in one working directory (a synthesized stack), offline-capable and without checkpoint calls. */
export class Terraform {
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly directory: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.env = { ...terraformEnvironment(env), TF_IN_AUTOMATION: "1" };
  }

  run(args: readonly string[], okCodes?: readonly number[]): Promise<CommandResult> {
    return run("terraform", args, { cwd: this.directory, env: this.env, okCodes });
  }

  init(): Promise<CommandResult> {
    return this.run(["init", "-input=false", "-no-color"]);
  }

  apply(): Promise<CommandResult> {
    return this.run(["apply", "-input=false", "-auto-approve", "-no-color"]);
  }

  destroy(okCodes?: readonly number[]): Promise<CommandResult> {
    return this.run(["destroy", "-input=false", "-auto-approve", "-no-color"], okCodes);
  }

  /** `plan -detailed-exitcode`: true when the plan has changes. */
  async planHasChanges(): Promise<{ changes: boolean; output: string }> {
    const result = await this.run(["plan", "-input=false", "-detailed-exitcode", "-no-color"], [0, 2]);
    return { changes: result.code === 2, output: result.stdout };
  }

  /**
   * Applies only what the writer needs to run (its function, both roles and their policies, the table, the bucket
   * and its versioning): Terraform adds the dependencies of these targets. The bucket's lifecycle rule, which the
   * provider waits about a minute for, plays no part in writing.
   */
  applyWriterPath(): Promise<CommandResult> {
    return this.applyResourcesOf(["aws_lambda_function", "aws_iam_role_policy", "aws_s3_bucket_versioning"]);
  }

  /** Applies every resource of the given types of the synthesized stack, and what they depend on. */
  applyResourcesOf(types: readonly string[]): Promise<CommandResult> {
    const synthesized = JSON.parse(readFileSync(path.join(this.directory, "cdk.tf.json"), "utf8")) as {
      resource: Record<string, Record<string, unknown>>;
    };
    const targets = types.flatMap((type) =>
      Object.keys(synthesized.resource[type] ?? {}).map((id) => `-target=${type}.${id}`),
    );
    return this.run(["apply", "-input=false", "-auto-approve", "-no-color", ...targets]);
  }

  /** The stack's string outputs as plain values. */
  async outputs(): Promise<Record<string, string>> {
    const parsed = await this.outputValues();
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  }

  /** The `destinations` output: each destination by name. */
  async destinations(): Promise<Record<string, DestinationOutput>> {
    return (await this.outputValues()).destinations as Record<string, DestinationOutput>;
  }

  /** Every output of the stack, by name, as its JSON value. */
  async outputValues(): Promise<Record<string, unknown>> {
    const result = await this.run(["output", "-json"]);
    const parsed = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([name, output]) => [name, output.value]));
  }
}
