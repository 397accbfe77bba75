import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { assumeInEmulator, invokeBundle, InvocationOutcome, InvokeOptions, synthesizedFunction } from "./deployment";
import { EmulatorAccount } from "./emulator-accounts";

/**
 * Invokes the writer deployed in the emulator's source account exactly as Lambda would run it: the bundle Terraform
 * uploaded (checked against the function's CodeSha256), the environment the function has, and credentials of its
 * execution role.
 */
export async function invokeDeployedWriter(
  source: EmulatorAccount,
  stackDirectory: string,
  outputs: Readonly<Record<string, string>>,
  events: readonly unknown[],
  options: Partial<Pick<InvokeOptions, "endpoint" | "concurrency" | "intervalMs">> = {},
): Promise<InvocationOutcome[]> {
  const fn = synthesizedFunction(stackDirectory);
  const deployed = await source.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: outputs["function-name"] }));
  if (deployed.CodeSha256 !== fn.codeSha256) {
    throw new Error(`the deployed function's code (${deployed.CodeSha256}) is not the synthesized bundle (${fn.codeSha256}): deploy again`);
  }
  const credentials = await assumeInEmulator(source.endpoint, outputs["source-role-arn"], fn.functionName, source.region);
  return invokeBundle(fn, events, {
    environment: deployed.Environment?.Variables ?? {},
    credentials,
    region: source.region,
    endpoint: options.endpoint ?? source.endpoint,
    concurrency: options.concurrency,
    intervalMs: options.intervalMs,
  });
}
