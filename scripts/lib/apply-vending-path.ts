import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Terraform } from "../terraform/terraform";

/**
 * Inits and applies only the vending pattern of a synthesized stack and what it references (roles, table, bucket):
 * the writer and the bucket's lifecycle rule, which the provider waits a minute for, play no part in vending.
 */
export async function applyVendingPath(stackDirectory: string): Promise<Terraform> {
  const terraform = new Terraform(stackDirectory);
  await terraform.init();
  const synthesized = JSON.parse(readFileSync(path.join(stackDirectory, "cdk.tf.json"), "utf8"));
  const targets = [
    "aws_lambda_function",
    "aws_lambda_function_url",
    "aws_lambda_permission",
    "aws_cloudformation_stack",
    "aws_iam_role_policy",
  ]
    .flatMap((type) => Object.keys(synthesized.resource[type] ?? {}).map((id) => `${type}.${id}`))
    .filter((address) => address.includes(".vending_"))
    .map((address) => `-target=${address}`);
  await terraform.run(["apply", "-input=false", "-auto-approve", "-no-color", ...targets]);
  return terraform;
}

/** Destroys what {@link applyVendingPath} applied (Terraform destroys the targets and what depends on them). */
export async function destroyVendingPath(terraform: Terraform, stackDirectory: string): Promise<void> {
  const synthesized = JSON.parse(readFileSync(path.join(stackDirectory, "cdk.tf.json"), "utf8"));
  const targets = Object.keys(synthesized.resource.aws_lambda_function ?? {})
    .filter((id) => id.includes("vending_"))
    .map((id) => `-target=aws_lambda_function.${id}`);
  await terraform.run(["destroy", "-input=false", "-auto-approve", "-no-color", ...targets]);
}
