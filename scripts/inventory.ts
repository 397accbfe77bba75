import { S3Client } from "@aws-sdk/client-s3";
import { type InventoryCommand, parseArguments, USAGE } from "./inventory/arguments";
import type { CliOutput } from "./inventory/output";
import { scanHere } from "./inventory/scan-here";
import { lambdaInvoker, runViaFunction, type ViaFunctionClients } from "./inventory/via-function";
import { UsageError } from "./shared/process";

export { parseArguments } from "./inventory/arguments";
export type { CliOutput } from "./inventory/output";

/**
 * `npm run inventory`: lists the functions of many accounts, from here with a role that trusts you in each account
 * (--role-name), or by running the deployed inventory function (--via-function). Returns the exit status (0, 3; 2
 * for bad arguments). `viaFunction` replaces the clients of --via-function (default: Lambda and S3 of its region).
 */
export async function runInventoryCli(
  args: readonly string[],
  output: CliOutput,
  env: NodeJS.ProcessEnv = process.env,
  viaFunction?: ViaFunctionClients,
): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    output.stdout(`${USAGE}\n`);
    return 0;
  }
  let command: InventoryCommand;
  try {
    command = parseArguments(args, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.mode === "scan") return scanHere(command, output);
  const clients = viaFunction ?? {
    invoke: lambdaInvoker(command.region),
    s3: new S3Client({ region: command.region, retryMode: "adaptive" }),
  };
  return runViaFunction(command, output, clients);
}

if (require.main === module) {
  const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text);
  runInventoryCli(process.argv.slice(2), { stdout: write(process.stdout), stderr: write(process.stderr) })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    });
}
