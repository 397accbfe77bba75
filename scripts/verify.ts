import * as path from "node:path";
import { ConfigError, loadConfig } from "../stacks/config";
import type { AccessMap } from "./access-map/access-map";
import { readJson } from "./access-map/files";
import { PROJECT_ROOT, UsageError } from "./shared/process";
import { parseVerifyArguments, VERIFY_USAGE } from "./verify/arguments";
import { readDeployment, stackDirectoryFor } from "./verify/deployment";
import { countsOf, outcomeLine, summaryTable } from "./verify/report";
import { openVerifyContext, verifyDeployment } from "./verify/verify";

// `npm run verify`: after a deploy, prove each pattern works where it was deployed (scripts/verify/).
async function main(args: readonly string[]): Promise<number> {
  const options = parseVerifyArguments(args);
  if (options.help) {
    console.log(VERIFY_USAGE);
    return 0;
  }
  const config = loadConfig(process.env);
  const baselineFile = path.resolve(options.baseline ?? path.join(PROJECT_ROOT, "access-baseline.json"));
  const baseline = readJson<Pick<AccessMap, "rows" | "outside">>(
    baselineFile,
    "an access.json written by npm run access",
  );
  if (!Array.isArray(baseline?.rows))
    throw new UsageError(`--baseline: ${baselineFile} is not an access map (no rows)`);
  const deployment = await readDeployment(options.stack ? path.resolve(options.stack) : stackDirectoryFor());
  const context = await openVerifyContext(config, deployment, {
    mfaCode: options.mfaCode,
    baseline: { map: baseline, name: path.relative(process.cwd(), baselineFile) || baselineFile },
  });
  if (!options.json) console.log(`verify: ${deployment.stackDirectory}, functions run by ${context.invoker.how}`);
  const outcomes = await verifyDeployment(context, {
    patterns: options.patterns,
    onOutcome: options.json ? undefined : (outcome) => console.log(outcomeLine(outcome)),
  });
  if (options.json) console.log(JSON.stringify({ checks: outcomes, counts: countsOf(outcomes) }, null, 2));
  else console.log(`\n${summaryTable(outcomes)}`);
  return countsOf(outcomes).failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${VERIFY_USAGE}`);
    else console.error(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
