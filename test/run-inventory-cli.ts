import { runInventoryCli } from "../scripts/inventory";

/** Runs `npm run inventory` in-process with no extra environment, and returns its exit code and what it printed. */
export async function runInventoryCliCaptured(args: string[]) {
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
  );
  return { code, stdout, stderr };
}
