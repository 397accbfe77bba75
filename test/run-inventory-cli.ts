import { runInventoryCli } from "../scripts/inventory";
import type { ViaFunctionClients } from "../scripts/inventory/via-function";

/**
 * Runs `npm run inventory` in-process with no extra environment, and returns its exit code and what it printed.
 * `viaFunction` replaces the clients of --via-function.
 */
export async function runInventoryCliCaptured(args: string[], viaFunction?: ViaFunctionClients) {
  let stdout = "";
  let stderr = "";
  const code = await runInventoryCli(
    args,
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    },
    {},
    viaFunction,
  );
  return { code, stdout, stderr };
}
