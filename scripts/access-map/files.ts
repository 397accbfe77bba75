import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { synthesizedInstances } from "./terraform-values";

/** cdktf's synthesized Terraform JSON (cdk.tf.json), as the access map reads it. */
export type Synthesized = Parameters<typeof synthesizedInstances>[0];

/** Reads a JSON file, naming the file and what was expected when it is missing or not JSON. */
export function readJson<T>(file: string, what: string): T {
  if (!existsSync(file)) throw new Error(`${file} does not exist; expected ${what}`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (error) {
    throw new Error(`${file} is not JSON (${(error as Error).message}); expected ${what}`);
  }
}

/** The synthesized stack of a Terraform directory (cdk.tf.json), if there is one. */
export function synthesizedIn(stackDirectory: string): Synthesized | undefined {
  const file = path.join(stackDirectory, "cdk.tf.json");
  return existsSync(file) ? readJson<Synthesized>(file, "cdktf's synthesized Terraform JSON") : undefined;
}
