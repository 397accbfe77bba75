import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAccessArgs } from "../../scripts/access";
import { PROJECT_ROOT, run, TSX, UsageError } from "../../scripts/shared/process";

const ACCESS = path.join(PROJECT_ROOT, "scripts", "access.ts");
const BASELINE = path.join(PROJECT_ROOT, "access-baseline.json");
const env = { ...process.env, CROSS_ACCOUNT_CONFIG: "" };
const access = (...args: string[]) => run(TSX, [ACCESS, ...args], { cwd: PROJECT_ROOT, env, okCodes: [0, 1, 2] });

describe("npm run access", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), "access-cli-"));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test("writes the page, the JSON and the picture of the default config, equal to the committed baseline", async () => {
    const out = path.join(scratch, "map");
    const result = await access("--out", out);
    expect(result.code).toBe(0);
    const written = JSON.parse(readFileSync(path.join(out, "access.json"), "utf8"));
    expect(written).toEqual(JSON.parse(readFileSync(BASELINE, "utf8")));
    expect(readFileSync(path.join(out, "access.md"), "utf8")).toContain("```mermaid");
    expect(readFileSync(path.join(out, "access.svg"), "utf8")).toMatch(/^<\?xml[\s\S]*<svg/);
  }, 180_000);

  test("--check: exit 0 within the baseline; exit 1 naming each access the baseline lacks", async () => {
    expect((await access("--check", BASELINE)).code).toBe(0);
    const baseline = JSON.parse(readFileSync(BASELINE, "utf8"));
    const smaller = path.join(scratch, "smaller.json");
    writeFileSync(smaller, JSON.stringify({ ...baseline, rows: baseline.rows.slice(1) }));
    const grown = await access("--check", smaller);
    expect(grown.code).toBe(1);
    expect(grown.stderr).toMatch(
      /^NEW: arn:aws:iam::111111111111:role\/cross-account-write-to-222222222222 may assume /m,
    );
    expect(grown.stderr).toContain("access grew beyond");
    // Grants on resources the stack does not hold count too: a baseline without the writer's X-Ray grant is exceeded.
    const noOutside = path.join(scratch, "no-outside.json");
    writeFileSync(noOutside, JSON.stringify({ ...baseline, outside: [] }));
    const outside = await access("--check", noOutside);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(
      /^NEW: arn:aws:iam::111111111111:role\/cross-account-write-to-222222222222 may xray:PutTraceSegments, xray:PutTelemetryRecords on \* \(outside the stack's resources\)$/m,
    );
  }, 180_000);

  test("a bad baseline or plan file exits 2 or 1 naming the file and what was expected, writing nothing", async () => {
    const notMap = path.join(scratch, "not-a-map.json");
    writeFileSync(notMap, "{}");
    const bad = await access("--check", notMap);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining(`${notMap} is not an access.json`)]);
    const notPlan = await access("--plan", notMap, "--out", path.join(scratch, "never"));
    expect([notPlan.code, notPlan.stderr]).toEqual([1, expect.stringContaining(`${notMap} is not a plan's JSON`)]);
    expect(existsSync(path.join(scratch, "never"))).toBe(false);
  }, 180_000);
});

describe("access arguments", () => {
  test.each([
    [["--bogus"], 'unknown argument "--bogus"; allowed: --plan, --out, --check'],
    [["--out"], "--out needs a value"],
    [["--plan", "--out"], "--plan needs a value"],
    [["--out", "a", "--out", "b"], "--out is given twice"],
    [["--check", "b.json", "--out", "a"], "--check writes nothing, so --out cannot go with it"],
  ])("fails for %j", (args, message) => {
    expect(() => parseAccessArgs(args)).toThrow(new UsageError(message));
  });
});
