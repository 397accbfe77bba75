import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthOutputIn, workingFolder } from "../stacks/config";
import type { AccessMap } from "./access-map/access-map";
import { readJson, synthesizedIn } from "./access-map/files";
import { CommandError, PROJECT_ROOT, run, UsageError } from "./shared/process";
import { stackDirectoryIn } from "./terraform/cdktf-project";

const USAGE = `Usage: npm run access [-- --plan FILE] [--out DIR] [--check BASELINE]
  (no option)      synthesize the current config (CROSS_ACCOUNT_CONFIG or the embedded example) and map its access
  --plan FILE      map the planned values of a saved plan's JSON (npm run plan:save writes plan/cross-account.plan.json)
  --out DIR        where access.md, access.json and access.svg go (default: access/)
  --check BASELINE compare with a committed access.json instead of writing: exit 1 when access grew beyond it`;

const OPTIONS = ["--plan", "--out", "--check"] as const;
type Options = Partial<Record<(typeof OPTIONS)[number], string>>;

/** The command line as options; throws {@link UsageError} naming the bad argument and what is allowed. */
export function parseAccessArgs(args: readonly string[]): Options {
  const options: Options = {};
  for (let index = 0; index < args.length; index += 2) {
    const option = args[index] as (typeof OPTIONS)[number];
    if (!OPTIONS.includes(option))
      throw new UsageError(`unknown argument ${JSON.stringify(args[index])}; allowed: ${OPTIONS.join(", ")}`);
    const value = args[index + 1];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${option} needs a value`);
    if (options[option] !== undefined) throw new UsageError(`${option} is given twice`);
    options[option] = value;
  }
  if (options["--check"] !== undefined && options["--out"] !== undefined)
    throw new UsageError("--check writes nothing, so --out cannot go with it");
  return options;
}

/** A committed baseline, checked to be an access map. */
function readBaseline(file: string): Pick<AccessMap, "rows"> {
  const what = "an access.json written by npm run access (version 1, with rows)";
  let baseline: Partial<AccessMap>;
  try {
    baseline = readJson<Partial<AccessMap>>(file, what);
  } catch (error) {
    throw new UsageError(`--check: ${(error as Error).message}`);
  }
  if (baseline?.version !== 1 || !Array.isArray(baseline.rows)) throw new UsageError(`--check: ${file} is not ${what}`);
  return baseline as AccessMap;
}

// The evaluator and Graphviz load while the app synthesizes in its own process.
const loadAccessLibrary = () =>
  Promise.all([import("./access-map/sources"), import("./access-map/report"), import("./access-map/picture")]).then(
    async ([sources, report, picture]) => {
      await picture.graphviz();
      return { ...sources, ...report };
    },
  );

/**
 * Runs the app (main.ts) as synthesizeApp does, in one Node process with tsx's loader rather than through the tsx
 * CLI, which starts a second one (about 0.3 s).
 */
async function synthesize(outdir: string): Promise<string> {
  const app = path.join(PROJECT_ROOT, "main.ts");
  await run(process.execPath, ["--import", "tsx", app], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
  });
  return stackDirectoryIn(outdir);
}

/** The map of the current config, synthesized into a temporary directory as `cdktf synth` would. */
async function mapOfCurrentConfig(): Promise<AccessMap> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "access-map-"));
  try {
    const [stackDirectory, library] = await Promise.all([synthesize(outdir), loadAccessLibrary()]);
    const synthesized = synthesizedIn(stackDirectory);
    if (!synthesized) throw new Error(`the app wrote no cdk.tf.json into ${outdir}`);
    return await library.mapOfSynthesized(synthesized);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

async function main(args: readonly string[]): Promise<number> {
  const options = parseAccessArgs(args);
  const baseline = options["--check"] === undefined ? undefined : readBaseline(path.resolve(options["--check"]));
  let map: AccessMap;
  let source: string;
  const library = options["--plan"] !== undefined ? await loadAccessLibrary() : undefined;
  if (library && options["--plan"] !== undefined) {
    const { asPlan, mapsOfPlan } = library;
    const file = path.resolve(options["--plan"]);
    const plan = asPlan(readJson(file, "a plan's JSON (terraform show -json <plan>)"), file);
    // Values known only at apply are read from the synthesized stack the plan was made from, when it is there.
    map = (
      await mapsOfPlan(plan, synthesizedIn(stackDirectoryIn(synthOutputIn(workingFolder(process.env, PROJECT_ROOT)))))
    ).after;
    source = `the planned values of ${path.basename(file)}`;
  } else {
    map = await mapOfCurrentConfig();
    source = process.env.CROSS_ACCOUNT_CONFIG
      ? `the config ${process.env.CROSS_ACCOUNT_CONFIG}`
      : "the embedded example config";
  }
  const { checkAgainst, writeAccessMap } = library ?? (await loadAccessLibrary());
  if (baseline) {
    const { grown, shrunk } = checkAgainst(baseline, map);
    for (const line of shrunk) console.log(`info: ${line} (less access than the baseline: fine)`);
    for (const line of grown) console.error(line);
    if (grown.length > 0) {
      console.error(
        `access grew beyond ${options["--check"]}: ${grown.length} new; if intended, regenerate the baseline (docs/access-map.md)`,
      );
      return 1;
    }
    console.log(`access is within ${options["--check"]} (${map.rows.length} rows)`);
    return 0;
  }
  const files = await writeAccessMap(map, path.resolve(options["--out"] ?? path.join(PROJECT_ROOT, "access")), source);
  console.log(
    `${map.rows.length} accesses of ${map.principals.length} principals; wrote ${files.map((file) => path.relative(process.cwd(), file)).join(", ")}`,
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${error.message}\n\n${USAGE}`);
        process.exitCode = 2;
        return;
      }
      console.error(error instanceof CommandError || error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
