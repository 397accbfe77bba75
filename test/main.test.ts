import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TSX } from "../scripts/shared/process";

const ROOT = path.resolve(__dirname, "..");

/** Runs the app (main.ts) as cdktf does, with a config file, into a fresh output directory. */
function runApp(config: unknown, extraEnv: Record<string, string> = {}) {
  const directory = mkdtempSync(path.join(os.tmpdir(), "cross-account-main-"));
  const configFile = path.join(directory, "config.json");
  writeFileSync(configFile, typeof config === "string" ? config : JSON.stringify(config));
  const outdir = path.join(directory, "cdktf.out");
  const result = spawnSync(TSX, [path.join(ROOT, "main.ts")], {
    cwd: directory,
    env: { ...process.env, CROSS_ACCOUNT_CONFIG: configFile, CDKTF_OUTDIR: outdir, ...extraEnv },
    encoding: "utf8",
  });
  return { ...result, outdir, cleanup: () => rmSync(directory, { recursive: true, force: true }) };
}

describe("main.ts", () => {
  test("synthesizes the stack from a valid config file", () => {
    const run = runApp({
      source: { accountId: "123456789012", region: "eu-west-1" },
      destination: { accountId: "210987654321", region: "eu-west-1" },
    });
    try {
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const json = JSON.parse(readFileSync(path.join(run.outdir, "stacks", "cross-account", "cdk.tf.json"), "utf8"));
      expect(
        json.provider.aws.map((provider: { allowed_account_ids: string[] }) => provider.allowed_account_ids[0]).sort(),
      ).toEqual(["123456789012", "210987654321"]);
    } finally {
      run.cleanup();
    }
  });
});

describe("the synth process", () => {
  // main.ts imports stacks/synth-process first: Node's source maps stay off while cdktf loads and synthesizes.
  const sourceMapsEnabled = (env: Record<string, string>) =>
    spawnSync(TSX, ["-e", 'require("./stacks/synth-process"); console.log(process.sourceMapsEnabled)'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: "utf8",
    }).stdout.trim();

  test("is set up by main.ts's first import, before cdktf loads", () => {
    expect(
      readFileSync(path.join(ROOT, "main.ts"), "utf8")
        .split("\n")
        .find((line) => line.startsWith("import ")),
    ).toBe('import "./stacks/synth-process";');
  });

  test("runs without source maps, which tsx turns on", () => {
    expect(
      spawnSync(TSX, ["-e", "console.log(process.sourceMapsEnabled)"], { cwd: ROOT, encoding: "utf8" }).stdout.trim(),
    ).toBe("true");
    expect(sourceMapsEnabled({ NODE_OPTIONS: "" })).toBe("false");
  });

  test("keeps them when NODE_OPTIONS asks for --enable-source-maps", () => {
    expect(sourceMapsEnabled({ NODE_OPTIONS: "--enable-source-maps" })).toBe("true");
  });
});

describe("main.ts fails", () => {
  test.each([
    [
      "on an invalid account id, naming it, and writes no output",
      {
        source: { accountId: "12345", region: "us-east-1" },
        destination: { accountId: "222222222222", region: "us-east-1" },
      },
      /source\.accountId must be a 12-digit AWS account id, got "12345"/,
    ],
    [
      "on a trust policy over IAM's quota, naming the role and its size, and writes no output [aws-rule iam-policy-size-quotas]",
      {
        source: { accountId: "111111111111", region: "us-east-1" },
        destination: { accountId: "222222222222", region: "us-east-1" },
        externalId: "e".repeat(1224),
        trustedPrincipals: [{ arn: "arn:aws:iam::444444444444:role/ops" }],
      },
      /destination: the trust policy of role assume-role-via-111111111111 in account 222222222222 would be 2\d{3} characters \(not counting whitespace\), more than the 2048 IAM allows/,
    ],
    ["on a config file that is not JSON", "{ source: ", /is not valid JSON/],
  ])("%s", (_name, config, expected) => {
    const run = runApp(config);
    try {
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(expected);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(run.outdir)).toBe(false);
    } finally {
      run.cleanup();
    }
  });

  test("on a config file that does not exist, naming it", () => {
    const run = spawnSync(TSX, [path.join(ROOT, "main.ts")], {
      env: {
        ...process.env,
        CROSS_ACCOUNT_CONFIG: "/nonexistent/cross-account.json",
        CDKTF_OUTDIR: path.join(os.tmpdir(), "never-written"),
      },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/CROSS_ACCOUNT_CONFIG names "\/nonexistent\/cross-account.json", which cannot be read/);
    expect(existsSync(path.join(os.tmpdir(), "never-written"))).toBe(false);
  });
});
