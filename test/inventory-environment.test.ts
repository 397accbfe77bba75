import {
  environmentBytes,
  INVENTORY_ENVIRONMENT,
  inventoryEnvironment,
  LAMBDA_ENVIRONMENT_BYTES,
  readInventorySettings,
} from "../functions/inventory/environment";

const SETTINGS = {
  targets: { organizationalUnitIds: ["ou-ab12-11111111"], accountIds: ["222222222222"] },
  organizationRoleArn: "arn:aws:iam::111111111111:role/inventory-organization-read",
  reportBucket: "inventory-reports",
  stsRegion: "eu-west-1",
};

describe("inventory environment", () => {
  test("round-trips settings, filling in defaults", () => {
    const environment = inventoryEnvironment(SETTINGS);
    expect(environment).toEqual({
      TARGETS: '{"organizationalUnitIds":["ou-ab12-11111111"],"accountIds":["222222222222"]}',
      ORGANIZATION_ROLE_ARN: SETTINGS.organizationRoleArn,
      REPORT_BUCKET: "inventory-reports",
      STS_REGION: "eu-west-1",
    });
    expect(readInventorySettings(environment)).toEqual({
      ...SETTINGS,
      regions: "enabled",
      roleName: "CrossAccountListFunctionsRole",
      reportPrefix: "inventory",
      concurrency: 8,
      deadlineMarginSeconds: 30,
    });
  });

  test("carries every setting, regions as a JSON array", () => {
    const full = {
      ...SETTINGS,
      regions: ["us-east-1", "eu-west-1"],
      roleName: "Inventory",
      reportPrefix: "runs",
      concurrency: 16,
      deadlineMarginSeconds: 60,
    };
    const environment = inventoryEnvironment(full);
    expect(environment[INVENTORY_ENVIRONMENT.regions]).toBe('["us-east-1","eu-west-1"]');
    expect(readInventorySettings(environment)).toEqual(full);
    expect(environmentBytes(environment)).toBeLessThan(LAMBDA_ENVIRONMENT_BYTES);
  });

  test("passes Terraform references through unchecked", () => {
    const environment = inventoryEnvironment({
      ...SETTINGS,
      organizationRoleArn: "${aws_iam_role.read.arn}",
      reportBucket: "${aws_s3_bucket.r.bucket}",
    });
    expect(environment.ORGANIZATION_ROLE_ARN).toBe("${aws_iam_role.read.arn}");
  });

  const valid = inventoryEnvironment(SETTINGS);
  test.each([
    [
      "missing variables",
      { TARGETS: "", REPORT_BUCKET: "" },
      "inventory is missing environment variables TARGETS, REPORT_BUCKET",
    ],
    ["TARGETS not JSON", { TARGETS: "ou-1" }, 'TARGETS must be a JSON object, got "ou-1"'],
    [
      "a bad account id",
      { TARGETS: '{"accountIds":["12345"]}' },
      'TARGETS.accountIds must be an array of 12-digit account ids, got "12345"',
    ],
    [
      "a bad OU id",
      { TARGETS: '{"organizationalUnitIds":["ou-1"]}' },
      "TARGETS.organizationalUnitIds must be an array of OU ids",
    ],
    [
      "an unknown targets field",
      { TARGETS: '{"accounts":[]}' },
      "TARGETS has unknown fields accounts; allowed: organizationalUnitIds, accountIds",
    ],
    ["no target", { TARGETS: "{}" }, "TARGETS names no OU and no account"],
    [
      "a bad region",
      { REGIONS: '["us-east-1","mars-1"]' },
      'REGIONS.[] must be an array of region names such as us-east-1, got "mars-1"',
    ],
    ["REGIONS not JSON", { REGIONS: "all" }, `REGIONS must be "enabled" or a JSON array of regions, got "all"`],
    ["concurrency 0", { CONCURRENCY: "0" }, 'CONCURRENCY must be a whole number from 1 to 64, got "0"'],
    [
      "a bad margin",
      { DEADLINE_MARGIN_SECONDS: "1.5" },
      'DEADLINE_MARGIN_SECONDS must be a whole number from 0 to 600, got "1.5"',
    ],
    [
      "a bad organization role",
      { ORGANIZATION_ROLE_ARN: "inventory" },
      'ORGANIZATION_ROLE_ARN must be an IAM role ARN, got "inventory"',
    ],
    [
      "OUs without an organization role",
      { ORGANIZATION_ROLE_ARN: "" },
      "ORGANIZATION_ROLE_ARN is required to list the accounts of ou-ab12-11111111",
    ],
    ["a bad role name", { ROLE_NAME: "a role" }, 'ROLE_NAME must be an IAM role name, got "a role"'],
  ])("fails on %s, naming the variable", (_name, change, message) => {
    expect(() => readInventorySettings({ ...valid, ...change })).toThrow(message);
  });
});
