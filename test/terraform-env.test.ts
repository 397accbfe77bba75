import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  findProviderMirror,
  PROVIDER_MIRROR_VARIABLE,
  TERRAFORM_GOGC,
  terraformEnvironment,
  writeTerraformCliConfig,
} from "../scripts/terraform/terraform-env";

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), "terraform-env-"));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe("the environment of terraform and cdktf commands", () => {
  test("no checkpoint calls, and Go's collector at the project's GOGC unless the user set one", () => {
    const env = terraformEnvironment({ PATH: process.env.PATH, HOME: process.env.HOME });
    expect(env.CHECKPOINT_DISABLE).toBe("1");
    expect(env.GOGC).toBe(TERRAFORM_GOGC);
    expect(TERRAFORM_GOGC).toBe("200");
    expect(terraformEnvironment({ PATH: process.env.PATH, HOME: process.env.HOME, GOGC: "50" }).GOGC).toBe("50");
    expect(terraformEnvironment({ PATH: process.env.PATH, HOME: process.env.HOME, GOGC: "" }).GOGC).toBe("200");
  });
});

describe("the provider mirror", () => {
  test("TF_PROVIDER_MIRROR names it; a folder without hashicorp/aws is refused naming the value and the layout", () => {
    mkdirSync(path.join(directory, "registry.terraform.io", "hashicorp", "aws"), { recursive: true });
    expect(findProviderMirror({ [PROVIDER_MIRROR_VARIABLE]: directory })).toBe(directory);
    const empty = path.join(directory, "empty");
    mkdirSync(empty);
    expect(() => findProviderMirror({ [PROVIDER_MIRROR_VARIABLE]: empty })).toThrow(
      `TF_PROVIDER_MIRROR="${empty}" must be a directory holding registry.terraform.io/hashicorp/aws/<version>/<platform>/`,
    );
  });

  test("the CLI config installs hashicorp/aws from the mirror and everything else as usual; writing it again changes nothing", () => {
    const file = path.join(directory, "build", "terraform.rc");
    expect(writeTerraformCliConfig("/mirror", file)).toBe(file);
    const text = readFileSync(file, "utf8");
    expect(text).toBe(
      [
        "provider_installation {",
        "  filesystem_mirror {",
        '    path    = "/mirror"',
        '    include = ["registry.terraform.io/hashicorp/aws"]',
        "  }",
        "  direct {",
        '    exclude = ["registry.terraform.io/hashicorp/aws"]',
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    writeTerraformCliConfig("/mirror", file);
    writeTerraformCliConfig("/other", file);
    expect(readFileSync(file, "utf8")).toContain('path    = "/other"');
    // Replaced by a rename: no partial files are left beside it.
    expect(readdirSync(path.dirname(file))).toEqual(["terraform.rc"]);
  });
});
