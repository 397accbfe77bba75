import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXAMPLE_CONFIG } from "../stacks/config";
import { THREE_DESTINATIONS } from "./synth";

// What users have deployed must not change when the code is reorganized: the app's cdk.tf.json for the default and
// a three-destination config is pinned (test/fixtures/synth/), except for what may legitimately differ:
// - the "//" metadata (construct paths and ids for humans; Terraform ignores it),
// - the Lambda asset's path and hash (they change with the bundle's bytes),
// - the local state path (absolute, so it depends on where the app runs).
// A deliberate change of the synthesized Terraform updates the fixture in the same commit:
// PIN_UPDATE=1 npx jest test/synth-pin.test.ts

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const FIXTURES = path.join(__dirname, "fixtures", "synth");

/** The app's output with the parts that may differ replaced by placeholders. */
function pinnable(json: unknown): unknown {
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (value === null || typeof value !== "object") {
      if (key === "filename" && typeof value === "string" && value.startsWith("assets/")) return "<asset path>";
      if (key === "source_code_hash") return "<asset hash>";
      return value;
    }
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([name]) => name !== "//")
        .map(([name, child]) => [name, name === "path" && key === "local" ? "<local state path>" : walk(child, name)]),
    );
  };
  return walk(json);
}

function synthesizedByTheApp(config: unknown): unknown {
  const directory = mkdtempSync(path.join(os.tmpdir(), "cross-account-pin-"));
  try {
    const configFile = path.join(directory, "config.json");
    writeFileSync(configFile, JSON.stringify(config));
    const result = spawnSync(TSX, [path.join(ROOT, "main.ts")], {
      cwd: directory,
      env: { ...process.env, CROSS_ACCOUNT_CONFIG: configFile, CDKTF_OUTDIR: path.join(directory, "cdktf.out") },
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`main.ts exited with ${result.status}: ${result.stderr}`);
    return JSON.parse(
      readFileSync(path.join(directory, "cdktf.out", "stacks", "cross-account", "cdk.tf.json"), "utf8"),
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe("what users have deployed stays as it is", () => {
  test.each([
    ["the default config", "default.json", EXAMPLE_CONFIG],
    ["a three-destination config", "three-destinations.json", THREE_DESTINATIONS],
  ])(
    "%s synthesizes the pinned Terraform (but for metadata, the asset's path and hash, the state path)",
    (_, fixture, config) => {
      const actual = pinnable(synthesizedByTheApp(config));
      const file = path.join(FIXTURES, fixture);
      if (process.env.PIN_UPDATE) writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
      expect(actual).toEqual(JSON.parse(readFileSync(file, "utf8")));
    },
  );
});
