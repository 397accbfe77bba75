import { INSTALL_HINTS } from "../scripts/lib/emulator";
import { ConfigError, resolveConfig } from "../stacks/config";
import { MIN_OPENTOFU_VERSION, MIN_TERRAFORM_VERSION } from "../stacks/identifiers";
import { exampleWith, REAL_ACCOUNTS, synthesize } from "./synth";

const STATE = { bucket: "acme-terraform-state", region: "eu-west-1", accountId: "444455556666" };

describe("stateBackend", () => {
  test("local state by default", () => {
    expect(synthesize().json).not.toHaveProperty("terraform.backend.s3");
  });

  test("S3 state, encrypted, guarded by allowed_account_ids, with S3 native lock files", () => {
    const backend = (
      synthesize({
        ...REAL_ACCOUNTS,
        stateBackend: { ...STATE, roleArn: "arn:aws:iam::444455556666:role/TerraformState" },
      }).json as any
    ).terraform.backend.s3;
    expect(backend).toEqual({
      bucket: "acme-terraform-state",
      key: "cross-account/terraform.tfstate",
      region: "eu-west-1",
      encrypt: true,
      allowed_account_ids: ["444455556666"],
      assume_role: { role_arn: "arn:aws:iam::444455556666:role/TerraformState", session_name: "cdktf-state" },
      use_lockfile: true,
    });
  });

  test("a DynamoDB lock table replaces the lock files; a profile reaches the state account", () => {
    const backend = (
      synthesize({
        ...REAL_ACCOUNTS,
        stateBackend: { ...STATE, key: "teams/a.tfstate", profile: "ops", lockTable: "terraform-locks" },
      }).json as any
    ).terraform.backend.s3;
    expect(backend).toEqual(
      expect.objectContaining({ key: "teams/a.tfstate", profile: "ops", dynamodb_table: "terraform-locks" }),
    );
    expect(backend).not.toHaveProperty("use_lockfile");
  });

  test("in the emulator, the backend reaches the state account through the emulator", () => {
    const backend = (synthesize(exampleWith({ stateBackend: { ...STATE, accountId: "333333333333" } })).json as any)
      .terraform.backend.s3;
    expect(backend).toEqual(
      expect.objectContaining({
        assume_role: expect.objectContaining({
          role_arn: "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole",
        }),
        endpoints: expect.objectContaining({ s3: "http://127.0.0.1:5000", sts: "http://127.0.0.1:5000" }),
        use_path_style: true,
      }),
    );
  });
});

describe("stateBackend fails", () => {
  test.each([
    [
      "on an invalid bucket name",
      { ...STATE, bucket: "Acme_State" },
      /stateBackend\.bucket must be 3-63 lowercase letters.*got "Acme_State"/,
    ],
    [
      "on a missing account",
      { bucket: "acme-terraform-state", region: "eu-west-1" },
      /stateBackend\.accountId is required/,
    ],
    [
      "on a role in another account",
      { ...STATE, roleArn: "arn:aws:iam::111111111111:role/TerraformState" },
      /stateBackend\.roleArn must be a role in the state account 444455556666, got "arn:aws:iam::111111111111:role\/TerraformState"/,
    ],
    [
      "on a bad lock table name",
      { ...STATE, lockTable: "x" },
      /stateBackend\.lockTable must be a DynamoDB table name.*got "x"/,
    ],
    ["on an unknown key", { ...STATE, lock: "dynamodb" }, /stateBackend has unknown keys "lock"/],
  ])("%s", (_name, stateBackend, expected) => {
    expect(() => resolveConfig({ ...REAL_ACCOUNTS, stateBackend })).toThrow(ConfigError);
    expect(() => resolveConfig({ ...REAL_ACCOUNTS, stateBackend })).toThrow(expected);
  });
});

describe("the Terraform version S3 native lock files need", () => {
  test("[aws-rule s3-native-locking] use_lockfile is GA from Terraform 1.11 (OpenTofu 1.10): what the tool check asks for", () => {
    expect(MIN_TERRAFORM_VERSION).toBe("1.11.0");
    expect(MIN_OPENTOFU_VERSION).toBe("1.10.0");
    expect(INSTALL_HINTS.terraform).toContain("Terraform >= 1.11.0");
    expect(INSTALL_HINTS.terraform).toContain("OpenTofu >= 1.10.0");
  });
});
