import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { synthOutputIn, workingFolder } from "../../stacks/config";
import { PROJECT_ROOT } from "../shared/process";
import { type DestinationOutput, stackDirectoryIn } from "../terraform/cdktf-project";
import { Terraform } from "../terraform/terraform";

/** Output names of the patterns, as the stack writes them (stacks/vending, stacks/inventory; a test pins them). */
export const OUTPUT_NAMES = {
  writerFunction: "function-name",
  bucketPrefix: "bucket-prefix",
  destinations: "destinations",
  vendFunctionUrl: "vend-function-url",
  vendFunctionName: "vend-function-name",
  vendingRoles: "vending-roles",
  inventoryFunction: "inventory-function-name",
  inventoryReportLocation: "inventory-report-location",
} as const;

/** Where the stack of the config in use was synthesized and deployed: its working folder's cdktf.out. */
export function stackDirectoryFor(env: NodeJS.ProcessEnv = process.env): string {
  return stackDirectoryIn(synthOutputIn(workingFolder(env, PROJECT_ROOT)));
}

/** What verify reads of a deployment: its outputs, its state and its synthesized configuration. */
export interface Deployment {
  readonly stackDirectory: string;
  /** Every output by name, as its JSON value. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** `terraform show -json` of the state. */
  readonly state: StateJson;
  /** The synthesized cdk.tf.json the state was applied from. */
  readonly synthesized: SynthesizedJson;
}

/** Reads a deployed stack's outputs and state with Terraform; fails naming the directory when nothing is deployed. */
export async function readDeployment(stackDirectory: string, env?: NodeJS.ProcessEnv): Promise<Deployment> {
  const synthesizedFile = path.join(stackDirectory, "cdk.tf.json");
  if (!existsSync(synthesizedFile))
    throw new Error(`${stackDirectory} holds no synthesized stack (cdk.tf.json): run npm run deploy first`);
  const terraform = new Terraform(stackDirectory, env);
  const [outputs, shown] = await Promise.all([terraform.outputValues(), terraform.run(["show", "-json", "-no-color"])]);
  const state = JSON.parse(shown.stdout) as StateJson;
  if (!state.values?.root_module?.resources?.length)
    throw new Error(`the state in ${stackDirectory} holds no resources: run npm run deploy first`);
  return { stackDirectory, outputs, state, synthesized: JSON.parse(readFileSync(synthesizedFile, "utf8")) };
}

/** A string output, or an error naming the output and the pattern that makes it. */
export function stringOutput(deployment: Deployment, name: string, pattern: string): string {
  const value = deployment.outputs[name];
  if (typeof value !== "string" || value === "")
    throw new Error(`the deployment has no output ${name}: is the ${pattern} pattern deployed?`);
  return value;
}

/** The writer's destinations by name, from the `destinations` output. */
export function destinationOutputs(deployment: Deployment): Record<string, DestinationOutput> {
  const value = deployment.outputs[OUTPUT_NAMES.destinations];
  if (typeof value !== "object" || value === null)
    throw new Error(`the deployment has no output ${OUTPUT_NAMES.destinations}: is the writer deployed?`);
  return value as Record<string, DestinationOutput>;
}

/** The parts of `terraform show -json` (of the state) that verify reads. */
export interface StateJson {
  values?: {
    root_module?: {
      resources?: Array<{
        address: string;
        mode?: string;
        type: string;
        name: string;
        values: Record<string, unknown>;
      }>;
    };
  };
}

/** The parts of cdk.tf.json that locate the state's resources: providers and each resource's provider. */
export interface SynthesizedJson {
  provider?: { aws?: Array<{ alias?: string; allowed_account_ids?: string[]; region?: string }> };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}
