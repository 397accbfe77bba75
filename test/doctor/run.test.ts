import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { HeadBucketCommand, NotFound, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { doctorJson, doctorTable } from "../../scripts/doctor/report";
import { runDoctor } from "../../scripts/doctor/run";
import { accountTargets, organizationNeeds, wantedBuckets } from "../../scripts/doctor/targets";
import {
  CENTRAL_ACCOUNT_ID,
  MANAGEMENT_ACCOUNT_ID,
  ORGANIZATION_ID,
  UNIT_ID,
  WITH_ORGANIZATION_WRITER,
} from "../organization-writer-fixtures";
import { configOf, PROFILE_CONFIG, sharedAwsFiles } from "./doctor-fixtures";

const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
let files: ReturnType<typeof sharedAwsFiles>;
beforeAll(() => {
  files = sharedAwsFiles();
});
afterAll(() => files.remove());

const options = () => ({
  env: files.env,
  root: "/nowhere",
  probeRegistry: async () => true,
  findTerraform: async () => ({ binary: "terraform", version: "1.11.4", tofu: false }),
});

describe("the accounts and buckets of a config", () => {
  test("one account named twice through one path is checked once, with every label and region", () => {
    const config = configOf({
      source: { accountId: "111111111111", region: "us-east-1", profile: "src" },
      destinations: [
        { name: "a", accountId: "222222222222", region: "eu-west-1", profile: "dest" },
        { name: "b", accountId: "222222222222", region: "us-east-1", profile: "dest" },
        { name: "c", accountId: "222222222222", region: "us-east-1", table: "c-table" },
      ],
      stateBackend: { bucket: "team-state", region: "eu-west-1", accountId: "111111111111", profile: "src" },
    });
    expect(accountTargets(config).map((target) => [target.accountId, target.labels, target.regions])).toEqual([
      ["111111111111", ["source", "state"], ["us-east-1", "eu-west-1"]],
      ["222222222222", ["destination a", "destination b"], ["eu-west-1", "us-east-1"]],
      ["222222222222", ["destination c"], ["us-east-1"]],
    ]);
    expect(wantedBuckets(config).map(({ bucket }) => [bucket.name, bucket.field])).toEqual([
      ["wd-records-a-222222222222-eu-west-1", "destinations[0].bucket"],
      ["wd-records-b-222222222222-us-east-1", "destinations[1].bucket"],
      ["wd-records-c-222222222222-us-east-1", "destinations[2].bucket"],
    ]);
  });
});

describe("the organization writer's accounts, organization and bucket", () => {
  test("the central account and the organization account are checked; the central bucket's name; the OU of each path", () => {
    const config = configOf(WITH_ORGANIZATION_WRITER);
    expect(accountTargets(config).map((target) => [target.accountId, target.labels, target.profile])).toEqual(
      expect.arrayContaining([
        [CENTRAL_ACCOUNT_ID, ["central"], "central"],
        [MANAGEMENT_ACCOUNT_ID, ["organization"], "management"],
      ]),
    );
    expect(wantedBuckets(config).map(({ bucket }) => [bucket.name, bucket.accountId, bucket.field])).toContainEqual([
      `organization-records-${CENTRAL_ACCOUNT_ID}-eu-west-1`,
      CENTRAL_ACCOUNT_ID,
      "organizationWriter.bucket",
    ]);
    expect(organizationNeeds(config)).toEqual({
      organization: {
        accountId: MANAGEMENT_ACCOUNT_ID,
        region: "us-east-1",
        profile: "management",
        delegatedAdministrator: false,
      },
      organizationalUnitIds: [UNIT_ID],
      organizationId: ORGANIZATION_ID,
      section: "organizationWriter",
    });
  });

  test("a config that targets no OU needs nothing of the organization", () => {
    expect(organizationNeeds(configOf(PROFILE_CONFIG))).toBeUndefined();
  });
});

describe("the whole doctor", () => {
  beforeEach(() => {
    sts.reset();
    ec2.reset();
    s3.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111111111111", Arn: "arn:aws:iam::111111111111:user/alice" });
    ec2
      .on(DescribeRegionsCommand)
      .resolves({ Regions: [{ RegionName: "us-east-1", OptInStatus: "opt-in-not-required" }] });
    s3.on(HeadBucketCommand).rejects(new NotFound({ $metadata: { httpStatusCode: 404 }, message: "UnknownError" }));
  });

  test("a wrong account fails that account and skips what depends on it, with the fix in the table and the JSON", async () => {
    const results = await runDoctor(configOf(PROFILE_CONFIG), options());
    const rows = results.map((result) => [result.group, result.subject, result.status]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ["accounts", "account 111111111111 (source)", "ok"],
        ["accounts", "account 222222222222 (destination)", "problem"],
        ["regions", "region us-east-1 in 111111111111", "ok"],
        ["regions", "region eu-west-1 in 222222222222", "skipped"],
        ["names", "bucket wd-records-222222222222-eu-west-1", "skipped"],
      ]),
    );
    const table = doctorTable(results);
    expect(table).toContain("PROBLEM  profile sso-dest reaches account 111111111111");
    expect(table).toContain("fix: point profile sso-dest at account 222222222222");
    expect(table).toMatch(/1 problem, \d+ ok, 3 skipped$/);
    const json = JSON.parse(doctorJson("config.json", results));
    expect(json).toMatchObject({ config: "config.json", ok: false });
    expect(json.checks.find((check: { status: string }) => check.status === "problem").fix).toContain("sso-dest");
  });

  test("the credential part alone (what plan and deploy run first) checks only the accounts and where the state is", async () => {
    const results = await runDoctor(configOf(PROFILE_CONFIG), { ...options(), credentialsOnly: true });
    expect(results.map((result) => result.group)).toEqual(["working folder", "accounts", "accounts"]);
    expect(ec2.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  test("the credential part stops plan and deploy on local state left in the project root by an older version", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "doctor-root-"));
    try {
      writeFileSync(path.join(root, "terraform.cross-account.tfstate"), "{}");
      const env = { ...files.env, CROSS_ACCOUNT_CONFIG: "prod.json" };
      const results = await runDoctor(configOf(PROFILE_CONFIG), { ...options(), env, root, credentialsOnly: true });
      expect(results[0]).toMatchObject({ group: "working folder", status: "problem" });
      expect(results[0].detail).toContain(
        `local state from before working folders is at ${root}/terraform.cross-account.tfstate`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
