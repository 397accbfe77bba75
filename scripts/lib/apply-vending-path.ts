import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Terraform } from "./terraform";

/**
 * Inits and applies only the vending pattern of a synthesized stack and what it references (roles, table, bucket):
 * the writer and the bucket's lifecycle rule, which the provider waits a minute for, play no part in vending.
 */
export async function applyVendingPath(stackDirectory: string): Promise<Terraform> {
  const terraform = new Terraform(stackDirectory);
  await terraform.init();
  const synthesized = JSON.parse(readFileSync(path.join(stackDirectory, "cdk.tf.json"), "utf8"));
  const targets = ["aws_lambda_function", "aws_lambda_function_url", "aws_lambda_permission", "aws_iam_role_policy"]
    .flatMap((type) => Object.keys(synthesized.resource[type] ?? {}).map((id) => `${type}.${id}`))
    .filter((address) => address.includes(".vending_"))
    .map((address) => `-target=${address}`);
  await terraform.run(["apply", "-input=false", "-auto-approve", "-no-color", ...targets]);
  return terraform;
}
