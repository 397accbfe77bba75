import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateAccessKeyCommand, CreateUserCommand } from "@aws-sdk/client-iam";
import type { AwsCredentialIdentity } from "@smithy/types";
import { assumeInEmulator, EmulatorAccount, identityOfPrinted } from "../../scripts/emulator/emulator-accounts";
import { Emulator } from "../../scripts/lib/emulator";
import { type CommandError, run } from "../../scripts/shared/process";
import { emulatorConfig, runAssume, synthesizeInto } from "../../scripts/terraform/cdktf-project";
import { Terraform } from "../../scripts/terraform/terraform";
import { describeWithTools } from "./tools";

const SOURCE = "111111111111";
const DESTINATION = "222222222222";
const TABLE = "wd-ddb-table";
// The instance role shares the writer's read-write role of analytics; the operators get a write role of their own.
const CONFIG = {
  destinations: [{ name: "analytics", accountId: DESTINATION, region: "us-east-1", access: "read-write" as const }],
  sourcePrincipals: {
    instanceRoles: [{ name: "batch-ec2", destinations: ["analytics"] }],
    operators: [
      { group: "analytics-writers", users: ["alice"], destinations: ["analytics"], access: "write" as const },
    ],
  },
};

describeWithTools("source principals on a local two-account AWS, with real clients", () => {
  let emulator: Emulator;
  let workDirectory: string;
  let terraform: Terraform;
  let destination: EmulatorAccount;
  let alice: AwsCredentialIdentity;
  let profiles: Record<string, string>;

  /** The `aws` CLI as a user runs it, with a config file of its own and the given environment. */
  const awsCli = async (args: string[], env: Record<string, string>, input?: string) => {
    const result = await run("aws", [...args, "--output", "json"], {
      cwd: workDirectory,
      env: {
        PATH: process.env.PATH,
        HOME: workDirectory,
        AWS_CONFIG_FILE: path.join(workDirectory, "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(workDirectory, "aws-credentials"),
        // Every client of the CLI, the STS client that assumes the profile's role too, reaches the emulator.
        AWS_ENDPOINT_URL: emulator.endpoint,
        ...env,
      },
      input,
      okCodes: [0, 1, 2, 252, 253, 254, 255],
    });
    return result;
  };
  const putItem = (profile: string, uuid: string, env: Record<string, string>, input?: string) =>
    awsCli(
      [
        "dynamodb",
        "put-item",
        "--profile",
        profile,
        "--table-name",
        TABLE,
        "--item",
        JSON.stringify({ timestamp: { S: "2024-05-01T12:00:00.000Z" }, uuid: { S: uuid } }),
      ],
      env,
      input,
    );

  beforeAll(async () => {
    emulator = await Emulator.start();
    workDirectory = mkdtempSync(path.join(os.tmpdir(), "cross-account-principals-"));
    const source = await EmulatorAccount.open(emulator.endpoint, SOURCE);
    destination = await EmulatorAccount.open(emulator.endpoint, DESTINATION);
    // Operators are existing users: the stack makes their group, not them.
    await source.iam.send(new CreateUserCommand({ UserName: "alice" }));
    const { AccessKey: key } = await source.iam.send(new CreateAccessKeyCommand({ UserName: "alice" }));
    alice = { accessKeyId: key!.AccessKeyId!, secretAccessKey: key!.SecretAccessKey! };
    const stackDirectory = await synthesizeInto(workDirectory, {
      ...emulatorConfig(emulator.endpoint, CONFIG),
      destination: undefined,
    });
    terraform = new Terraform(stackDirectory);
    await terraform.init();
    // Everything a principal needs to reach the table; the buckets' lifecycle waits play no part here.
    await terraform.applyResourcesOf([
      "aws_iam_role_policy",
      "aws_iam_group_policy",
      "aws_iam_group_membership",
      "aws_iam_instance_profile",
      "aws_dynamodb_table",
    ]);
    const printed = await runAssume(workDirectory, alice, ["--print-profiles", "--source-profile", "alice"]);
    expect(printed.stderr).toBe("");
    profiles = Object.fromEntries(
      printed.stdout
        .trim()
        .split("\n\n")
        .map((block) => [block.split("\n")[0].replace(/^# /, ""), block.split("\n").slice(1).join("\n")]),
    );
  });

  afterAll(async () => {
    await emulator?.stop();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  test("the stack's output and `npm run assume -- --print-profiles` give the same profiles", async () => {
    const output = (await terraform.outputValues())["source-principals"] as Record<
      string,
      Record<string, { profile: string }>
    >;
    expect(Object.keys(profiles).sort()).toEqual(["instance-role/batch-ec2", "operator/alice"]);
    expect(profiles["instance-role/batch-ec2"]).toBe(output["instance-role/batch-ec2"].analytics.profile);
    expect(profiles["operator/alice"]).toBe(
      output["operator/alice"].analytics.profile.replace("source_profile = default", "source_profile = alice"),
    );
    expect(profiles["operator/alice"]).toContain(
      `role_arn = arn:aws:iam::${DESTINATION}:role/assume-role-via-${SOURCE}-analytics-write`,
    );
  });

  test("the aws CLI, with the instance role's printed profile, assumes the destination role by itself and writes an item", async () => {
    // As instance metadata would hand them: the instance role's credentials; the profile reads them from the
    // environment instead of the metadata service.
    const instance = await assumeInEmulator(
      emulator.endpoint,
      `arn:aws:iam::${SOURCE}:role/batch-ec2`,
      "i-0123456789abcdef0",
    );
    writeFileSync(
      path.join(workDirectory, "aws-config"),
      `${profiles["instance-role/batch-ec2"].replace("credential_source = Ec2InstanceMetadata", "credential_source = Environment")}\n`,
    );
    const identity = await awsCli(["sts", "get-caller-identity", "--profile", "batch-ec2.analytics-read-write"], {
      AWS_ACCESS_KEY_ID: instance.accessKeyId,
      AWS_SECRET_ACCESS_KEY: instance.secretAccessKey,
      AWS_SESSION_TOKEN: instance.sessionToken ?? "",
    });
    expect(identity.stderr).toBe("");
    expect(JSON.parse(identity.stdout).Arn).toBe(
      `arn:aws:sts::${DESTINATION}:assumed-role/assume-role-via-${SOURCE}-analytics/batch-ec2`,
    );
    const put = await putItem("batch-ec2.analytics-read-write", "0b6f3c1e-3d2a-4d0e-9a57-1f6d2c9a8b7e", {
      AWS_ACCESS_KEY_ID: instance.accessKeyId,
      AWS_SECRET_ACCESS_KEY: instance.secretAccessKey,
      AWS_SESSION_TOKEN: instance.sessionToken ?? "",
    });
    expect(put.stderr).toBe("");
    expect(put.code).toBe(0);
    expect(await destination.items(TABLE)).toEqual([
      { timestamp: "2024-05-01T12:00:00.000Z", uuid: "0b6f3c1e-3d2a-4d0e-9a57-1f6d2c9a8b7e" },
    ]);
  });

  test("the aws CLI, with the operator's printed profile (source_profile, mfa_serial), asks for the MFA code and writes", async () => {
    writeFileSync(path.join(workDirectory, "aws-config"), `${profiles["operator/alice"]}\n`);
    writeFileSync(
      path.join(workDirectory, "aws-credentials"),
      `[alice]\naws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n`,
    );
    const put = await putItem("alice.analytics-write", "7d444840-9dc0-11d1-b245-5ffdce74fad2", {}, "123456\n");
    expect(put.code).toBe(0);
    expect(put.stderr).toContain(`Enter MFA code for arn:aws:iam::${SOURCE}:mfa/alice`);
    const items = await destination.items(TABLE);
    expect(items.map((item) => item.uuid).sort()).toEqual([
      "0b6f3c1e-3d2a-4d0e-9a57-1f6d2c9a8b7e",
      "7d444840-9dc0-11d1-b245-5ffdce74fad2",
    ]);
  });

  test("`npm run assume` gives each principal credentials of its own role in the destination", async () => {
    const instance = await assumeInEmulator(emulator.endpoint, `arn:aws:iam::${SOURCE}:role/batch-ec2`, "i-0123");
    const identityOf = (printed: string) => identityOfPrinted(emulator.endpoint, printed);
    const asInstance = await runAssume(workDirectory, instance, ["analytics", "--format", "json"]);
    expect(asInstance.stderr).toBe("");
    expect(await identityOf(asInstance.stdout)).toMatch(
      new RegExp(`^arn:aws:sts::${DESTINATION}:assumed-role/assume-role-via-${SOURCE}-analytics/operator-`),
    );
    const asAlice = await runAssume(workDirectory, alice, [
      "analytics",
      "--access",
      "write",
      "--mfa-serial",
      `arn:aws:iam::${SOURCE}:mfa/alice`,
      "--mfa-code",
      "123456",
      "--format",
      "json",
    ]);
    expect(asAlice.stderr).toBe("");
    expect(await identityOf(asAlice.stdout)).toMatch(
      new RegExp(`^arn:aws:sts::${DESTINATION}:assumed-role/assume-role-via-${SOURCE}-analytics-write/operator-`),
    );
  });

  test("`npm run assume -- analytics --exec -- <command>` runs the command as the destination role, passing its exit code on", async () => {
    const instance = await assumeInEmulator(emulator.endpoint, `arn:aws:iam::${SOURCE}:role/batch-ec2`, "i-0456");
    const identity = await runAssume(workDirectory, instance, [
      "analytics",
      "--exec",
      "--",
      "aws",
      "sts",
      "get-caller-identity",
      "--output",
      "json",
    ]);
    expect(identity.code).toBe(0);
    expect(JSON.parse(identity.stdout).Arn).toMatch(
      new RegExp(`^arn:aws:sts::${DESTINATION}:assumed-role/assume-role-via-${SOURCE}-analytics/operator-`),
    );
    const failing = await runAssume(workDirectory, instance, [
      "analytics",
      "--exec",
      "--",
      process.execPath,
      "-e",
      "process.exit(7)",
    ]).catch((error: CommandError) => error.result);
    expect(failing.code).toBe(7);
  });
});
