import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArguments } from "../scripts/assume";
import { upsertProfiles, writeProfiles } from "../scripts/assume/aws-config-file";
import { PROJECT_ROOT, UsageError } from "../scripts/shared/process";
import { resolveConfig } from "../stacks/config";
import { principalProfiles } from "../stacks/source-principals/profiles";
import { WITH_SOURCE_PRINCIPALS } from "./synth";

const config = resolveConfig(WITH_SOURCE_PRINCIPALS);
const roleArnOf = () => "arn:aws:iam::222222222222:role/r";
let directory: string;
beforeEach(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), "assume-profiles-"));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe("--print-profiles: one profile name per principal", () => {
  test("names are <principal>.<destination>-<access>: two operators of one group no longer share a section", () => {
    const profiles = principalProfiles(config, roleArnOf);
    expect(profiles.map(({ principal, name }) => [principal, name])).toEqual([
      ["instance-role/batch-ec2", "batch-ec2.analytics-write"],
      ["instance-role/batch-ec2", "batch-ec2.archive-write"],
      ["operator/alice", "alice.analytics-eu-read"],
      ["operator/bob", "bob.analytics-eu-read"],
      ["operator/carol", "carol.analytics-eu-read-write"],
    ]);
    expect(profiles.map(({ profile }) => profile.split("\n")[0])).toEqual(
      profiles.map(({ name }) => `[profile ${name}]`),
    );
  });

  test("a user in two groups reaching a destination the same way gets one profile, the one with MFA", () => {
    const twice = resolveConfig({
      ...WITH_SOURCE_PRINCIPALS,
      sourcePrincipals: {
        operators: [
          { group: "a", users: ["alice"], destinations: ["analytics-eu"], access: "read", requireMfa: false },
          { group: "b", users: ["alice"], destinations: ["analytics-eu"], access: "read" },
        ],
      },
    });
    const profiles = principalProfiles(twice, roleArnOf);
    expect(profiles.map(({ name }) => name)).toEqual(["alice.analytics-eu-read"]);
    expect(profiles[0].profile).toContain("mfa_serial = arn:aws:iam::111111111111:mfa/alice");
  });

  test("--user picks one operator; an unknown one is refused with the operators allowed", () => {
    expect(parseArguments(["--print-profiles", "--user", "bob", "--output", "/tmp/x"], config)).toEqual({
      kind: "print-profiles",
      sourceProfile: "default",
      user: "bob",
      output: "/tmp/x",
    });
    expect(() => parseArguments(["--print-profiles", "--user", "mallory"], config)).toThrow(
      new UsageError('--user "mallory" is no operator of sourcePrincipals.operators; allowed: "alice", "bob", "carol"'),
    );
    expect(() => parseArguments(["analytics", "--user", "bob"], config)).toThrow("--user goes with --print-profiles");
  });
});

describe("--output: profiles written into a config file", () => {
  const alice = (role: string) => ({
    name: "alice.analytics-eu-read",
    section: `[profile alice.analytics-eu-read]\nrole_arn = ${role}`,
    comment: "operator/alice",
  });

  test("replaces a profile of the same name, appends new ones, keeps every other line", () => {
    const before = [
      "[default]",
      "region = eu-west-1",
      "",
      "[profile alice.analytics-eu-read]",
      "role_arn = arn:aws:iam::222222222222:role/old",
      "",
      "# my own",
      "[profile mine]",
      "region = us-east-1",
      "",
    ].join("\n");
    const bob = { name: "bob.analytics-eu-read", section: "[profile bob.analytics-eu-read]\nrole_arn = x" };
    expect(upsertProfiles(before, [alice("arn:aws:iam::222222222222:role/new"), bob])).toEqual({
      text: [
        "[default]",
        "region = eu-west-1",
        "",
        "[profile alice.analytics-eu-read]",
        "role_arn = arn:aws:iam::222222222222:role/new",
        "",
        "# my own",
        "[profile mine]",
        "region = us-east-1",
        "",
        "[profile bob.analytics-eu-read]",
        "role_arn = x",
        "",
      ].join("\n"),
      added: ["bob.analytics-eu-read"],
      replaced: ["alice.analytics-eu-read"],
    });
  });

  test("creates the file and its folder, owner-only; writes through a link; twice gives the same file", () => {
    const file = path.join(directory, "home", ".aws", "config");
    writeProfiles(file, [alice("r1")]);
    expect(readFileSync(file, "utf8")).toBe("# operator/alice\n[profile alice.analytics-eu-read]\nrole_arn = r1\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const link = path.join(directory, "link-config");
    symlinkSync(file, link);
    writeProfiles(link, [alice("r1")]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(file, "utf8")).toBe("# operator/alice\n[profile alice.analytics-eu-read]\nrole_arn = r1\n");
  });
});

describe("with plain `npm run` (npm prints its banner on stdout)", () => {
  const npm = (args: string[], cwd = PROJECT_ROOT) => {
    const configFile = path.join(directory, "config.json");
    writeFileSync(configFile, JSON.stringify(WITH_SOURCE_PRINCIPALS));
    return spawnSync("npm", ["run", "--prefix", PROJECT_ROOT, ...args], {
      cwd,
      env: { ...process.env, CROSS_ACCOUNT_CONFIG: configFile },
      encoding: "utf8",
    });
  };

  test("the banner is on stdout, so --output writes only profiles to the file; --silent prints none", () => {
    const file = path.join(directory, "aws", "config");
    mkdirSync(path.dirname(file));
    const written = npm(["assume", "--", "--print-profiles", "--user", "alice", "--output", file]);
    expect(written.status).toBe(0);
    expect(written.stdout).toMatch(/^\s*> [^\n]+ assume\n> tsx scripts\/assume\.ts --print-profiles/);
    expect(written.stderr).toContain(`${file}: 1 profiles added (alice.analytics-eu-read), 0 replaced (none)`);
    expect(readFileSync(file, "utf8")).toMatch(/^# operator\/alice\n\[profile alice\.analytics-eu-read\]\nrole_arn = /);
    const printed = npm(["--silent", "assume", "--", "--print-profiles", "--user", "alice"]);
    expect(printed.stdout).toMatch(/^# operator\/alice\n\[profile alice\.analytics-eu-read\]\n/);
  }, 60_000);

  test("a relative --output is where npm was run, not the project's folder npm runs scripts in", () => {
    const run = npm(
      ["--silent", "assume", "--", "--print-profiles", "--user", "bob", "--output", "aws-config"],
      directory,
    );
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(directory, "aws-config"), "utf8")).toContain("[profile bob.analytics-eu-read]");
  }, 60_000);
});
