import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  AWS_PROVIDER_VERSION,
  checkEmulator,
  checkNode,
  checkProvider,
  checkTerraform,
  compareVersions,
  findTerraform,
  terraformPlatform,
} from "../../scripts/doctor/tools";
import { checkWorkingFolder } from "../../scripts/doctor/working-folder";
import { workingFolder } from "../../stacks/config";
import { configOf, PROFILE_CONFIG } from "./doctor-fixtures";

const REAL = configOf(PROFILE_CONFIG);
const WITH_LOCK_FILES = configOf({
  ...PROFILE_CONFIG,
  stateBackend: { bucket: "team-state", region: "us-east-1", accountId: "333333333333" },
});
const EMULATED = configOf({ ...PROFILE_CONFIG, emulator: { endpoint: "http://127.0.0.1:1" } });

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), "doctor-tools-"));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe("tools", () => {
  test("versions compare numerically", () => {
    expect(compareVersions("1.10.0", "1.9.9")).toBeGreaterThan(0);
    expect(compareVersions("v1.11.0", "1.11.0")).toBe(0);
    expect(compareVersions("1.11.0-beta1", "1.11.0")).toBe(0);
  });

  test("Node.js older than 20 is a problem", () => {
    expect(checkNode("22.1.0").status).toBe("ok");
    expect(checkNode("18.19.0")).toMatchObject({ status: "problem", detail: "18.19.0 is older than 20.0.0" });
  });

  test("a Terraform that does not answer names how to install it", async () => {
    const found = await findTerraform({ PATH: directory, TERRAFORM_BINARY_NAME: "terraform-nowhere" });
    expect(found).toEqual({ binary: "terraform-nowhere", tofu: false });
    expect(checkTerraform(found, REAL)).toMatchObject({ status: "problem" });
    expect(checkTerraform(found, REAL).fix).toContain("install Terraform >= 1.11");
  });

  test("the installed Terraform answers with its version", async () => {
    const found = await findTerraform(process.env);
    expect(found.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  test("Terraform older than the project's 1.11 (MIN_TERRAFORM_VERSION) is a problem; OpenTofu needs 1.10", () => {
    expect(checkTerraform({ binary: "terraform", version: "1.10.5", tofu: false }, REAL)).toMatchObject({
      status: "problem",
      detail: "1.10.5 is older than 1.11.0, which the project needs",
      fix: "install Terraform >= 1.11.0 (https://developer.hashicorp.com/terraform/install)",
    });
    expect(checkTerraform({ binary: "terraform", version: "1.11.0", tofu: false }, REAL).status).toBe("ok");
    expect(checkTerraform({ binary: "tofu", version: "1.10.0", tofu: true }, REAL).status).toBe("ok");
    expect(checkTerraform({ binary: "tofu", version: "1.9.1", tofu: true }, REAL)).toMatchObject({
      status: "problem",
      fix: "install OpenTofu >= 1.10.0 (https://opentofu.org/docs/intro/install/)",
    });
  });

  test("[aws-rule s3-native-locking] a config with S3 lock files needs Terraform 1.11", () => {
    expect(checkTerraform({ binary: "terraform", version: "1.10.5", tofu: false }, WITH_LOCK_FILES)).toMatchObject({
      status: "problem",
      detail: "1.10.5 is older than 1.11.0, which S3 native state locking (use_lockfile) and the project need",
    });
    expect(checkTerraform({ binary: "terraform", version: "1.11.4", tofu: false }, WITH_LOCK_FILES).status).toBe("ok");
  });

  test("the provider is found in an offline mirror, or its absence names the mirror command", async () => {
    const never = async () => {
      throw new Error("the registry must not be asked when a mirror is given");
    };
    const versionDirectory = path.join(directory, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION);
    mkdirSync(versionDirectory, { recursive: true });
    const missing = await checkProvider({ TF_PROVIDER_MIRROR: directory }, never);
    expect(missing).toMatchObject({ status: "problem" });
    expect(missing.fix).toBe(
      `terraform providers mirror -platform=${terraformPlatform()} ${directory} (in a synthesized stack directory, with internet access)`,
    );
    mkdirSync(path.join(versionDirectory, terraformPlatform()));
    expect(await checkProvider({ TF_PROVIDER_MIRROR: directory }, never)).toMatchObject({ status: "ok" });
  });

  test("without a mirror the registry is asked (injected here: tests never call out)", async () => {
    const none = () => undefined;
    expect(await checkProvider({}, async () => true, none)).toMatchObject({
      status: "ok",
      detail: "registry.terraform.io answers (no offline mirror)",
    });
    const offline = await checkProvider({}, async () => false, none);
    expect(offline.status).toBe("problem");
    expect(offline.fix).toContain("set TF_PROVIDER_MIRROR");
  });

  test("an emulator that does not answer names moto_server with its port; real AWS skips the row", async () => {
    expect(await checkEmulator(EMULATED)).toMatchObject({ status: "problem", fix: "moto_server -p 1" });
    expect(await checkEmulator(REAL)).toMatchObject({ status: "skipped", detail: "the config targets real AWS" });
  });
});

describe("the working folder row", () => {
  test("state left in the project root by an older version is named with the move that keeps it", () => {
    writeFileSync(path.join(directory, "terraform.cross-account.tfstate"), "{}");
    const env = { CROSS_ACCOUNT_CONFIG: "prod.json" };
    const result = checkWorkingFolder(REAL, env, directory);
    const shown = path.relative(directory, workingFolder(env, directory));
    expect(result).toMatchObject({ status: "problem" });
    expect(result.fix).toBe(
      `mkdir -p ${shown} && mv terraform.cross-account.tfstate ${shown}/terraform.cross-account.tfstate   (only if that state is this config's)`,
    );
    expect(checkWorkingFolder(EMULATED, env, directory).status).toBe("ok");
  });
});
