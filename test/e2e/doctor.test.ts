import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import { EnableAWSServiceAccessCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import type { CheckResult } from "../../scripts/doctor/check";
import { STACKSETS_SERVICE_PRINCIPAL } from "../../scripts/doctor/organization";
import { EmulatorAccount } from "../../scripts/emulator/emulator-accounts";
import { Emulator } from "../../scripts/lib/emulator";
import { createEmulatorOrganization, EMULATOR_MANAGEMENT_ACCOUNT_ID } from "../../scripts/lib/emulator-organization";
import { PROJECT_ROOT, run, TSX } from "../../scripts/shared/process";
import {
  type CrossAccountConfigInput,
  EXAMPLE_CONFIG,
  EXAMPLE_SOURCE_ACCOUNT_ID,
  workingFolder,
} from "../../stacks/config";
import { describeWithTools } from "./tools";

/** What `npm run doctor -- --json` answered. */
interface DoctorAnswer {
  readonly code: number;
  readonly ok: boolean;
  readonly seconds: number;
  readonly checks: CheckResult[];
}

/** The environment without the runner's own AWS settings, so only what a test gives reaches the doctor. */
const cleanEnvironment = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_") && name !== "CROSS_ACCOUNT_CONFIG"),
  );

describeWithTools("npm run doctor against the emulator", () => {
  let emulator: Emulator;
  let directory: string;
  let awsFiles: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await Emulator.start();
    directory = mkdtempSync(path.join(os.tmpdir(), "doctor-e2e-"));
    // A profile with the emulator's static keys: with AWS_ENDPOINT_URL a real-account config reaches moto, whose
    // keys act in its default account 123456789012.
    writeFileSync(path.join(directory, "config"), "[profile src]\nregion = us-east-1\n");
    writeFileSync(
      path.join(directory, "credentials"),
      "[src]\naws_access_key_id = test\naws_secret_access_key = test\n",
    );
    awsFiles = {
      AWS_CONFIG_FILE: path.join(directory, "config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(directory, "credentials"),
    };
  });

  afterAll(async () => {
    await emulator?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  const configFile = (name: string, config: CrossAccountConfigInput) => {
    const file = path.join(directory, `${name}.json`);
    writeFileSync(file, JSON.stringify(config));
    return file;
  };

  async function doctor(config: CrossAccountConfigInput, extraEnv: NodeJS.ProcessEnv = {}): Promise<DoctorAnswer> {
    const env = { ...cleanEnvironment(), ...awsFiles, ...extraEnv, CROSS_ACCOUNT_CONFIG: configFile("config", config) };
    const result = await run(TSX, [path.join(PROJECT_ROOT, "scripts", "doctor.ts"), "--json"], {
      env,
      okCodes: [0, 1],
    });
    return { code: result.code, ...JSON.parse(result.stdout) };
  }

  const row = (answer: DoctorAnswer, subject: string) => answer.checks.find((check) => check.subject === subject);

  test("five accounts on the emulator: every check ok, exit 0, under 20 s", async () => {
    const destinations = ["222222222222", "333333333333", "444444444444", "555555555555"].map((accountId, index) => ({
      name: `d${index}`,
      accountId,
      region: index % 2 === 0 ? "us-east-1" : "eu-west-1",
    }));
    const answer = await doctor({
      source: EXAMPLE_CONFIG.source,
      destinations,
      emulator: { endpoint: emulator.endpoint },
    });
    expect(answer.checks.filter((check) => check.status === "problem")).toEqual([]);
    expect(answer).toMatchObject({ code: 0, ok: true });
    expect(answer.checks.filter((check) => check.group === "accounts" && check.status === "ok")).toHaveLength(5);
    expect(row(answer, "region eu-west-1 in 333333333333")).toMatchObject({
      status: "ok",
      detail: "enabled (opt-in-not-required)",
    });
    expect(row(answer, "bucket wd-records-d0-222222222222-us-east-1")).toMatchObject({ status: "ok", detail: "free" });
    // moto builds each account's EC2 backend on its first call (seconds on a busy machine): the budget is the
    // doctor's own, measured on a second run.
    const again = await doctor({
      source: EXAMPLE_CONFIG.source,
      destinations,
      emulator: { endpoint: emulator.endpoint },
    });
    expect(again.ok).toBe(true);
    expect(again.seconds).toBeLessThan(20);
  });

  test("a profile of another account: the account row names both ids, exit 1", async () => {
    const answer = await doctor(
      {
        ...EXAMPLE_CONFIG,
        emulator: undefined,
        source: { accountId: "111111111111", region: "us-east-1", profile: "src" },
      },
      { AWS_ENDPOINT_URL: emulator.endpoint },
    );
    expect(answer.code).toBe(1);
    expect(row(answer, "account 111111111111 (source)")).toMatchObject({
      status: "problem",
      detail:
        "profile src reaches account 123456789012 (arn:aws:sts::123456789012:user/moto), but the config says 111111111111",
    });
  });

  test("a profile missing from the AWS files is named with the command that makes it", async () => {
    const answer = await doctor({
      ...EXAMPLE_CONFIG,
      emulator: undefined,
      destination: { accountId: "222222222222", region: "us-east-1", profile: "nowhere" },
    });
    expect(row(answer, "account 222222222222 (destination)")).toMatchObject({
      status: "problem",
      fix: "aws configure --profile nowhere",
    });
    expect(row(answer, "bucket wd-records-222222222222-us-east-1")?.status).toBe("skipped");
  });

  test("[aws-rule stacksets-trusted-access] an organization without StackSets trusted access, then with it", async () => {
    const organization = await createEmulatorOrganization(emulator.endpoint, 1);
    const config: CrossAccountConfigInput = {
      ...EXAMPLE_CONFIG,
      emulator: { endpoint: emulator.endpoint },
      inventory: {
        organizationalUnitIds: [organization.unitId],
        organizationId: organization.organizationId,
        organization: { accountId: EMULATOR_MANAGEMENT_ACCOUNT_ID, region: "us-east-1" },
      },
    };
    const before = await doctor(config);
    expect(before.code).toBe(1);
    expect(row(before, "StackSets trusted access")).toMatchObject({
      status: "problem",
      fix: "aws cloudformation activate-organizations-access (in the management account)",
    });
    expect(row(before, `OU ${organization.unitId}`)).toMatchObject({ status: "ok", detail: "exists (workloads)" });
    expect(row(before, `organization of ${EMULATOR_MANAGEMENT_ACCOUNT_ID}`)?.status).toBe("ok");

    const organizations = new OrganizationsClient({
      region: "us-east-1",
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: STACKSETS_SERVICE_PRINCIPAL }));
    const after = await doctor(config);
    expect(row(after, "StackSets trusted access")?.status).toBe("ok");
    expect(after.checks.filter((check) => check.status === "problem")).toEqual([]);
  });

  test("[aws-rule iam-principal-must-exist] a trusted principal missing from its account is a problem, one that exists is ok", async () => {
    const source = await EmulatorAccount.open(emulator.endpoint, EXAMPLE_SOURCE_ACCOUNT_ID);
    await source.iam.send(
      new CreateRoleCommand({
        RoleName: "ops",
        Path: "/team/",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${EXAMPLE_SOURCE_ACCOUNT_ID}:root` },
              Action: "sts:AssumeRole",
            },
          ],
        }),
      }),
    );
    const existing = `arn:aws:iam::${EXAMPLE_SOURCE_ACCOUNT_ID}:role/team/ops`;
    const missing = `arn:aws:iam::${EXAMPLE_SOURCE_ACCOUNT_ID}:user/nobody`;
    const answer = await doctor({
      ...EXAMPLE_CONFIG,
      emulator: { endpoint: emulator.endpoint },
      trustedPrincipals: [{ arn: existing }, { arn: missing }],
    });
    expect(answer.code).toBe(1);
    expect(row(answer, existing)).toMatchObject({ status: "ok", detail: "exists (named by trustedPrincipals[0].arn)" });
    expect(row(answer, missing)).toMatchObject({
      group: "principals",
      status: "problem",
      fix: `create it in account ${EXAMPLE_SOURCE_ACCOUNT_ID} first (aws iam create-user --user-name nobody), or correct trustedPrincipals[1].arn`,
    });
    expect(row(answer, missing)?.detail).toContain(
      `user nobody does not exist in account ${EXAMPLE_SOURCE_ACCOUNT_ID} (NoSuchEntityException (HTTP 404)`,
    );
    expect(answer.checks.filter((check) => check.status === "problem")).toEqual([row(answer, missing)]);
  });

  test("npm run plan stops with the doctor's answer instead of Terraform's, and writes nothing", async () => {
    const file = configFile("plan", {
      ...EXAMPLE_CONFIG,
      emulator: undefined,
      source: { accountId: "111111111111", region: "us-east-1", profile: "nowhere" },
    });
    const env = { ...cleanEnvironment(), ...awsFiles, CROSS_ACCOUNT_CONFIG: file };
    const result = await run(TSX, [path.join(PROJECT_ROOT, "scripts", "cdktf.ts"), "diff", "--skip-provider-lock"], {
      env,
      okCodes: [1],
    });
    expect(result.stderr).toContain("fix: aws configure --profile nowhere");
    expect(result.stderr).toContain("Terraform was not run.");
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/failed to get shared config profile|Initializing/);
    expect(existsSync(workingFolder(env, PROJECT_ROOT))).toBe(false);
  });
});
