import {
  callerPrefix,
  environmentBytes,
  LAMBDA_ENVIRONMENT_BYTES,
  readVendSettings,
  VEND_ENVIRONMENT,
  type VendSettings,
  vendEnvironment,
} from "../functions/vend/environment";
import { VEND_SETTINGS } from "./vend-fixtures";

const environment = vendEnvironment(VEND_SETTINGS);

describe("the vend Lambda's environment contract", () => {
  test("what the stack writes is what the Lambda reads", () => {
    expect(Object.keys(environment).sort()).toEqual(["CALLERS", "DESTINATIONS", "STS_REGION"]);
    expect(readVendSettings(environment)).toEqual(VEND_SETTINGS);
  });

  test("optional fields are written only when set", () => {
    const callers = JSON.parse(environment[VEND_ENVIRONMENT.callers]);
    expect(callers[0]).toEqual({
      arn: VEND_SETTINGS.callers[0].arn,
      destinations: ["analytics", "archive"],
      access: "read",
    });
    expect(JSON.parse(environment[VEND_ENVIRONMENT.destinations])[0]).not.toHaveProperty("tableArn");
  });

  test("the encoder passes Terraform references through unchecked", () => {
    const settings: VendSettings = {
      ...VEND_SETTINGS,
      destinations: [
        {
          ...VEND_SETTINGS.destinations[0],
          roleArn: "${aws_iam_role.vending.arn}",
          accountId: "${data.aws_caller_identity.d.account_id}",
        },
      ],
      callers: [{ ...VEND_SETTINGS.callers[0], arn: "${aws_iam_role.reporting.arn}", destinations: ["analytics"] }],
    };
    const written = vendEnvironment(settings);
    expect(JSON.parse(written.DESTINATIONS)[0].roleArn).toBe("${aws_iam_role.vending.arn}");
    expect(JSON.parse(written.CALLERS)[0].arn).toBe("${aws_iam_role.reporting.arn}");
  });

  test("its size counts names and values against Lambda's 4 KB [aws-rule lambda-environment-4kb]", () => {
    expect(LAMBDA_ENVIRONMENT_BYTES).toBe(4096);
    expect(environmentBytes({ AB: "cd", E: "€" })).toBe(2 + 2 + 1 + 3);
    expect(environmentBytes(environment)).toBeLessThan(LAMBDA_ENVIRONMENT_BYTES);
  });

  test("a caller's prefix is its own, else its principal's name (path dropped)", () => {
    expect(VEND_SETTINGS.callers.map(callerPrefix)).toEqual(["reporting", "ingest/v2", "alice"]);
    expect(callerPrefix({ ...VEND_SETTINGS.callers[1], prefix: undefined })).toBe("ingest");
  });
});

describe("readVendSettings fails", () => {
  const json = (name: keyof typeof VEND_ENVIRONMENT, value: unknown) => ({
    ...environment,
    [VEND_ENVIRONMENT[name]]: JSON.stringify(value),
  });
  const destination = (patch: object) =>
    json("destinations", [{ ...VEND_SETTINGS.destinations[0], ...patch }, VEND_SETTINGS.destinations[1]]);
  const caller = (patch: object) =>
    json("callers", [{ ...VEND_SETTINGS.callers[0], ...patch }, ...VEND_SETTINGS.callers.slice(1)]);
  test.each<[string, NodeJS.ProcessEnv, RegExp]>([
    [
      "when variables are missing, naming each",
      { STS_REGION: "us-east-1" },
      /missing environment variables DESTINATIONS, CALLERS; deploy it with the cdktf stack/,
    ],
    [
      "when DESTINATIONS is not JSON",
      { ...environment, DESTINATIONS: "analytics" },
      /DESTINATIONS is not JSON, got "analytics"/,
    ],
    ["when DESTINATIONS is empty", json("destinations", []), /DESTINATIONS must not be empty/],
    ["when CALLERS is not an array", json("callers", {}), /CALLERS must be a JSON array, got \{\}/],
    [
      "when an account id is malformed",
      destination({ accountId: "2222" }),
      /DESTINATIONS\[0\]\.accountId must be a 12-digit account id, got "2222"/,
    ],
    [
      "when a vending role is not a role ARN",
      destination({ roleArn: "arn:aws:iam::222222222222:user/x" }),
      /DESTINATIONS\[0\]\.roleArn must be an IAM role ARN, got "arn:aws:iam::222222222222:user\/x"/,
    ],
    [
      "when a field is missing",
      destination({ bucketName: undefined }),
      /DESTINATIONS\[0\]\.bucketName must be an S3 bucket name, got nothing/,
    ],
    [
      "when a bucket prefix ends with a slash",
      destination({ bucketPrefix: "records/" }),
      /DESTINATIONS\[0\]\.bucketPrefix must be 1-100 characters of a key prefix, without a slash at either end/,
    ],
    [
      "when a bucket prefix is too long for the session policy",
      destination({ bucketPrefix: "r".repeat(101) }),
      /DESTINATIONS\[0\]\.bucketPrefix must be 1-100 characters/,
    ],
    [
      "when a destination has an unknown field",
      destination({ externalId: "x" }),
      /DESTINATIONS\[0\] has unknown fields externalId/,
    ],
    [
      "when destination names repeat",
      destination({ name: "archive" }),
      /DESTINATIONS\[1\]\.name repeats \[0\]: "archive"/,
    ],
    [
      "when a caller is an assumed-role session",
      caller({ arn: "arn:aws:sts::111111111111:assumed-role/reporting/x" }),
      /CALLERS\[0\]\.arn must be an IAM user or role ARN/,
    ],
    [
      "when a caller is an account root",
      caller({ arn: "arn:aws:iam::111111111111:root" }),
      /CALLERS\[0\]\.arn must be an IAM user or role ARN/,
    ],
    [
      "when a caller's access is unknown",
      caller({ access: "admin" }),
      /CALLERS\[0\]\.access must be "read", "write", "read-write", got "admin"/,
    ],
    [
      "when a caller names an unknown destination",
      caller({ destinations: ["analytics", "lake"] }),
      /CALLERS\[0\]\.destinations names no destination: "lake"; destinations are analytics, archive/,
    ],
    ["when a caller has no destinations", caller({ destinations: [] }), /CALLERS\[0\]\.destinations must not be empty/],
    [
      "when a caller's session may exceed role chaining",
      caller({ maxDurationSeconds: 7200 }),
      /CALLERS\[0\]\.maxDurationSeconds must be at most 3600 s \(role chaining\), got 7200/,
    ],
    [
      "when a caller's prefix has a wildcard",
      caller({ prefix: "team/*" }),
      /CALLERS\[0\]\.prefix must be 1-100 characters of a key prefix/,
    ],
    [
      "when a caller repeats, with and without its path",
      caller({ arn: "arn:aws:iam::111111111111:role/ops/ingest", prefix: "other" }),
      /CALLERS\[1\]\.arn names the principal of \[0\] again/,
    ],
    [
      "when two callers would share a default prefix",
      json("callers", [
        VEND_SETTINGS.callers[0],
        { ...VEND_SETTINGS.callers[0], arn: "arn:aws:iam::444444444444:role/reporting" },
      ]),
      /CALLERS\[1\] would share the prefix "reporting" of \[0\]: set prefix on one of them/,
    ],
    [
      "when the STS region is malformed",
      { ...environment, STS_REGION: "global" },
      /STS_REGION must be an AWS region such as eu-west-1, got "global"/,
    ],
  ])("%s", (_name, env, expected) => {
    expect(() => readVendSettings(env)).toThrow(expected);
  });

  test("naming every problem at once", () => {
    const env = { ...caller({ access: "admin" }), STS_REGION: "global" };
    expect(() => readVendSettings(env)).toThrow(
      /^vend's environment is malformed: CALLERS\[0\]\.access .*; STS_REGION must be/,
    );
  });

  test("two callers may share a prefix both chose", () => {
    const shared = json("callers", [
      { ...VEND_SETTINGS.callers[0], prefix: "team" },
      { ...VEND_SETTINGS.callers[2], prefix: "team" },
    ]);
    expect(readVendSettings(shared).callers.map(callerPrefix)).toEqual(["team", "team"]);
  });
});
