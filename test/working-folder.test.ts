import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TSX } from "../scripts/shared/process";
import { localStateFileIn, workingFolder } from "../stacks/config";

const ROOT = path.resolve(__dirname, "..");
const CONFIG = {
  source: { accountId: "123456789012", region: "eu-west-1" },
  destination: { accountId: "210987654321", region: "eu-west-1" },
};

describe("each config's working folder", () => {
  test("the embedded example keeps .work/example; a file gets its name and a hash of its path", () => {
    expect(workingFolder({}, "/project")).toBe("/project/.work/example");
    const folder = workingFolder({ CROSS_ACCOUNT_CONFIG: "configs/prod.json" }, "/project");
    expect(folder).toMatch(/^\/project\/\.work\/prod-[0-9a-f]{8}$/);
    expect(workingFolder({ CROSS_ACCOUNT_CONFIG: "/project/configs/prod.json" }, "/project")).toBe(folder);
  });

  test("two configs of one file name in two folders never share a working folder", () => {
    const [a, b] = ["team-a/cross-account.json", "team-b/cross-account.json"].map((file) =>
      workingFolder({ CROSS_ACCOUNT_CONFIG: file }, "/project"),
    );
    expect(a).not.toBe(b);
  });

  test("the app puts each config's local state in that config's working folder", () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), "working-folder-"));
    try {
      const statePaths = ["team-a", "team-b"].map((team) => {
        mkdirSync(path.join(directory, team));
        const env = { ...process.env, CROSS_ACCOUNT_CONFIG: path.join(team, "cross-account.json") };
        writeFileSync(path.join(directory, env.CROSS_ACCOUNT_CONFIG), JSON.stringify(CONFIG));
        const outdir = path.join(directory, `${team}-out`);
        const result = spawnSync(TSX, [path.join(ROOT, "main.ts")], {
          cwd: directory,
          env: { ...env, CDKTF_OUTDIR: outdir },
          encoding: "utf8",
        });
        expect(result.status).toBe(0);
        const json = JSON.parse(readFileSync(path.join(outdir, "stacks", "cross-account", "cdk.tf.json"), "utf8"));
        expect(json.terraform.backend.local.path).toBe(localStateFileIn(workingFolder(env, directory)));
        return json.terraform.backend.local.path;
      });
      expect(statePaths[0]).not.toBe(statePaths[1]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
