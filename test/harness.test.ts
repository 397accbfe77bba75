import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { CommandError, PROJECT_ROOT, run } from "../scripts/lib/process";

const HARNESS = path.join(PROJECT_ROOT, "scripts", "lib");
const NODE = process.execPath;

/** Loads modules in turn in a fresh Node process (TypeScript through tsx): the files each one added, by module. */
function filesLoadedBy(modules: readonly string[]): Record<string, string[]> {
  const code = `const seen = new Set(Object.keys(require.cache)); const added = {};
    for (const m of ${JSON.stringify(modules)}) {
      require(m);
      added[m] = Object.keys(require.cache).filter((file) => !seen.has(file));
      added[m].forEach((file) => seen.add(file));
    }
    console.log(JSON.stringify(added));`;
  const result = spawnSync(NODE, ["--require", "tsx/cjs", "-e", code], { cwd: PROJECT_ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`loading ${modules.join(", ")} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, string[]>;
}

describe("run", () => {
  test("collects the output and writes the input to stdin", async () => {
    const echo = "process.stdin.pipe(process.stdout); console.error('note')";
    const result = await run(NODE, ["-e", echo], { input: "events" });
    expect(result).toEqual({ code: 0, stdout: "events", stderr: "note\n" });
  });

  test("gives the command an empty stdin when there is no input", async () => {
    const count = "let n = 0; process.stdin.on('data', (c) => (n += c.length)).on('end', () => console.log(n))";
    expect((await run(NODE, ["-e", count])).stdout).toBe("0\n");
  });

  test("accepts the exit codes it is told are not failures", async () => {
    expect((await run(NODE, ["-e", "process.exit(2)"], { okCodes: [0, 2] })).code).toBe(2);
  });
});

describe("run fails", () => {
  test("on an unexpected exit code with a CommandError carrying the result and the output's tail", async () => {
    const failing = "console.error('it broke'); process.exit(3)";
    const failed = await run(NODE, ["-e", failing]).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(CommandError);
    expect((failed as CommandError).result).toEqual({ code: 3, stdout: "", stderr: "it broke\n" });
    expect((failed as CommandError).message).toMatch(/exited with 3:\nit broke$/);
  });
});

describe("the harness (scripts/lib)", () => {
  // Synthesis runs main.ts in a child process, so no harness module needs cdktf in the process that drives a test.
  test("loads without cdktf or @cdktf/provider-aws", () => {
    const modules = readdirSync(HARNESS)
      .filter((file) => file.endsWith(".ts"))
      .map((file) => path.join(HARNESS, file));
    const added = filesLoadedBy(modules);
    const loaded = Object.values(added).flat();
    // The probe sees the whole module graph: the harness's own files and the AWS SDK it loads.
    expect(loaded).toEqual(
      expect.arrayContaining([...modules, expect.stringMatching(/node_modules[\\/]@aws-sdk[\\/]/)]),
    );
    const cdktfFile = (files: string[]) => files.find((file) => /node_modules[\\/](cdktf|@cdktf)[\\/]/.test(file));
    const cdktfLoaders = Object.entries(added)
      .map(([module, files]) => [path.basename(module), cdktfFile(files)])
      .filter(([, file]) => file !== undefined);
    expect(cdktfLoaders).toEqual([]);
  });
});
