import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MAX_DESTINATIONS } from "../../stacks/config";
import { PROJECT_ROOT } from "../shared/process";
import { writeConfigFile } from "../terraform/cdktf-project";
import { measure, median, ms, progress, RUNS, record } from "./table";

/** The largest config: ten destinations over five accounts and two regions, with a trusted operator. */
export function tenDestinations() {
  return {
    source: { accountId: "111111111111", region: "us-east-1" },
    destinations: Array.from({ length: MAX_DESTINATIONS }, (_, index) => ({
      name: `d${index}`,
      accountId: String(200000000000 + (index % 5) * 11111111111),
      region: index % 2 === 0 ? "us-east-1" : "eu-west-1",
      access: index % 3 === 0 ? ("read-write" as const) : ("write" as const),
    })),
    trustedPrincipals: [{ arn: "arn:aws:iam::111111111111:user/operator", requireMfa: true }],
  };
}

/** `npm run access` (synth + evaluation + page, JSON and picture) against a synth alone, of the same config. */
export async function accessFigures(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-access-"));
  try {
    const env = { ...process.env, CROSS_ACCOUNT_CONFIG: writeConfigFile(scratch, tenDestinations()) };
    const node = (args: string[]) => measure(process.execPath, ["--import", "tsx", ...args], env);
    const synth: number[] = [];
    const map: number[] = [];
    let rows = "";
    for (let run = 0; run < RUNS; run += 1) {
      progress(`access map run ${run + 1}/${RUNS}`);
      const outdir = path.join(scratch, randomUUID());
      synth.push(
        (
          await measure(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "main.ts")], {
            ...env,
            CDKTF_OUTDIR: outdir,
          })
        ).ms,
      );
      const result = await node([
        path.join(PROJECT_ROOT, "scripts", "access.ts"),
        "--out",
        path.join(outdir, "access"),
      ]);
      map.push(result.ms);
      rows = /^(\d+) accesses/.exec(result.stdout)?.[1] ?? "?";
    }
    const ratio = median(map) / median(synth);
    record({
      figure: `access map of ${MAX_DESTINATIONS} destinations (${rows} rows): npm run access wall time`,
      value: ms(median(map)),
      baseline: `${ms(median(synth))} (synth of it)`,
      ratio: `${ratio.toFixed(2)}x`,
      target: "<= 2x",
      met: ratio <= 2 ? "yes" : "no",
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
