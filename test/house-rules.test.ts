import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../scripts/shared/process";

// Each rule of .dependency-cruiser.cjs, run through dependency-cruiser's own API on a small tree that breaks it
// once, beside imports the rules allow: a rule that never fires would be untested.

const CONFIG = path.join(PROJECT_ROOT, ".dependency-cruiser.cjs");

/** A tree of rooms as the repository has them, each file importing what the comment says. */
const FIXTURE: Record<string, string> = {
  // Allowed: the contract; forbidden: anything else of a function.
  "stacks/writer.ts": 'import "../functions/writer/environment";\nimport "../functions/writer/handler";\n',
  "functions/writer/environment.ts": "export const SETTING = 1;\n",
  "functions/writer/handler.ts": 'import "../../stacks/identifiers";\nimport "./environment";\n',
  "stacks/identifiers.ts": "export const STACK = 1;\n",
  "stacks/loop-a.ts": 'import "./loop-b";\n',
  "stacks/loop-b.ts": 'import "./loop-a";\n',
  // The harness reaches cdktf through a stack file.
  "scripts/lib/emulator.ts": 'import "../../stacks/app";\n',
  "stacks/app.ts": 'import "cdktf";\n',
  "functions/writer/mocked.ts": 'import "aws-sdk-client-mock";\n',
  "stacks/evaluated.ts": 'import "@cloud-copilot/iam-simulate";\n',
  // Allowed: the access map's evaluator; the demo and tests on the harness; tests on test-only packages.
  "scripts/access-map/evaluate.ts": 'import "@cloud-copilot/iam-simulate";\n',
  "scripts/demo.ts": 'import "./lib/emulator";\n',
  "test/writer.test.ts": 'import "aws-sdk-client-mock";\nimport "../scripts/lib/emulator";\nimport "./synth";\n',
  "test/synth.ts": "export const SYNTH = 1;\n",
  // A room users run: on the harness, and on a test helper.
  "scripts/assume/vend-client.ts": 'import "../lib/emulator";\nimport "../../test/synth";\n',
  "scripts/typo.ts": 'import "./missing";\n',
  "scripts/alone.ts": "export const ALONE = 1;\n",
};

/** Runs dependency-cruiser's `cruise` on a directory with the project's rules: each violation as rule, from, to. */
function violationsIn(directory: string): string[] {
  const script = `
    const { cruise } = await import("dependency-cruiser");
    const { default: extract } = await import("dependency-cruiser/config-utl/extract-depcruise-options");
    const options = await extract(${JSON.stringify(CONFIG)});
    delete options.tsConfig;
    const { output } = await cruise(["stacks", "functions", "scripts", "test"],
      { ...options, validate: true, baseDir: ${JSON.stringify(directory)} }, options.enhancedResolveOptions);
    console.log(JSON.stringify(output.summary.violations.map((v) => [v.rule.name, v.from, v.to].join(" "))));`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`cruise failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}

describe("the house rules (.dependency-cruiser.cjs)", () => {
  let directory: string;
  let violations: string[];

  beforeAll(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), "house-rules-"));
    for (const [file, text] of Object.entries(FIXTURE)) {
      mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
      writeFileSync(path.join(directory, file), text);
    }
    symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(directory, "node_modules"), "dir");
    violations = violationsIn(directory);
  }, 60_000);

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test.each([
    ["no-circular", "stacks/loop-a.ts stacks/loop-b.ts"],
    ["stacks-import-only-function-contracts", "stacks/writer.ts functions/writer/handler.ts"],
    ["functions-stand-alone", "functions/writer/handler.ts stacks/identifiers.ts"],
    ["harness-loads-no-cdktf", "scripts/lib/emulator.ts node_modules/cdktf/lib/index.js"],
    [
      "test-only-packages-stay-in-tests",
      "functions/writer/mocked.ts node_modules/aws-sdk-client-mock/dist/cjs/index.js",
    ],
    ["iam-evaluator-only-in-access-map-and-tests", "stacks/evaluated.ts node_modules/@cloud-copilot/iam-simulate/"],
    ["only-tests-demo-bench-use-the-harness", "scripts/assume/vend-client.ts scripts/lib/emulator.ts"],
    ["nothing-imports-tests", "scripts/assume/vend-client.ts test/synth.ts"],
    ["no-unresolvable-import", "scripts/typo.ts ./missing"],
    ["no-orphans", "scripts/alone.ts scripts/alone.ts"],
  ])("%s fires on %s", (rule, edge) => {
    expect(violations).toContainEqual(expect.stringContaining(`${rule} ${edge}`));
  });

  test("fires on nothing else: the contract, the access map's evaluator, the demo's and tests' imports pass", () => {
    const rules = violations.map((violation) => violation.split(" ")[0]);
    // One violation per broken import, and one for the loop.
    expect(rules.sort()).toEqual(
      [
        "functions-stand-alone",
        "harness-loads-no-cdktf",
        "iam-evaluator-only-in-access-map-and-tests",
        "no-circular",
        "no-orphans",
        "no-unresolvable-import",
        "nothing-imports-tests",
        "only-tests-demo-bench-use-the-harness",
        "stacks-import-only-function-contracts",
        "test-only-packages-stay-in-tests",
      ].sort(),
    );
  });
});
