import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXAMPLE_SOURCE_ACCOUNT_ID, resolveConfig } from "../../stacks/config";
import { runDoctor } from "../doctor/run";
import { Emulator } from "../lib/emulator";
import { PROJECT_ROOT, TSX } from "../shared/process";
import { measure, median, ms, progress, RUNS, record } from "./table";

const DESTINATION_ACCOUNTS = ["222222222222", "333333333333", "444444444444", "555555555555"];

/**
 * `npm run doctor` for five accounts on the emulator (their calls run concurrently), and the whole command for a
 * real-account config on a machine without credentials (the default chain, instance metadata asked once, bounded).
 */
export async function doctorFigures(): Promise<void> {
  const emulator = await Emulator.start();
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-doctor-"));
  try {
    const config = resolveConfig({
      source: { accountId: EXAMPLE_SOURCE_ACCOUNT_ID, region: "us-east-1" },
      destinations: DESTINATION_ACCOUNTS.map((accountId, index) => ({
        name: `d${index}`,
        accountId,
        region: "us-east-1",
      })),
      emulator: { endpoint: emulator.endpoint },
    });
    const options = { env: process.env, root: scratch, probeRegistry: async () => true };
    progress("doctor: five accounts on the emulator");
    await runDoctor(config, options);
    const runs: number[] = [];
    for (let index = 0; index < RUNS; index += 1) {
      const started = performance.now();
      const results = await runDoctor(config, options);
      runs.push(performance.now() - started);
      if (results.some((result) => result.status === "problem")) throw new Error("the doctor found a problem");
    }
    record({
      figure: "doctor, 5 accounts (emulator)",
      value: ms(median(runs)),
      baseline: "-",
      ratio: "-",
      target: "< 20 s",
      met: median(runs) < 20_000 ? "yes" : "no",
    });

    const file = path.join(scratch, "real.json");
    writeFileSync(
      file,
      JSON.stringify({
        source: { accountId: "111111111111", region: "us-east-1" },
        destination: { accountId: "222222222222", region: "us-east-1" },
      }),
    );
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_")));
    const command = await measure(TSX, [path.join(PROJECT_ROOT, "scripts", "doctor.ts"), "--json"], {
      ...env,
      CROSS_ACCOUNT_CONFIG: file,
      AWS_CONFIG_FILE: path.join(scratch, "none"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, "none"),
    }).catch((error: { result?: { stdout: string } }) => ({ ms: Number.NaN, stdout: error.result?.stdout ?? "" }));
    const seconds = Number(JSON.parse(command.stdout || "{}").seconds) * 1000;
    record({
      figure: "doctor without credentials (default chain)",
      value: ms(seconds),
      baseline: "-",
      ratio: "-",
      target: "< 10 s",
      met: seconds < 10_000 ? "yes" : "no",
    });
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
