import { priorStateInstances } from "../../scripts/access-map/terraform-values";
import { parseDemoArguments } from "../../scripts/demo";
import { UsageError } from "../../scripts/shared/process";
import { stateAsPlan } from "../../scripts/verify/access-check";
import { parseVerifyArguments } from "../../scripts/verify/arguments";
import { OUTPUT_NAMES } from "../../scripts/verify/deployment";
import type { CheckOutcome } from "../../scripts/verify/outcome";
import { outcomeLine, summaryTable } from "../../scripts/verify/report";
import { isCaller } from "../../scripts/verify/vending-check";
import { VENDING_OUTPUTS } from "../../stacks/vending/vending";

const usageError = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("no UsageError");
};

describe("npm run verify's command line", () => {
  test("takes --json, repeated --pattern, --baseline and a 6-digit --mfa-code", () => {
    expect(parseVerifyArguments([])).toEqual({ json: false, help: false });
    expect(
      parseVerifyArguments([
        "--stack",
        "s",
        "--json",
        "--pattern",
        "writer",
        "--pattern",
        "access",
        "--baseline",
        "b.json",
        "--mfa-code",
        "012345",
      ]),
    ).toEqual({
      json: true,
      help: false,
      patterns: ["writer", "access"],
      baseline: "b.json",
      mfaCode: "012345",
      stack: "s",
    });
  });

  test("fails naming the bad value and what is allowed", () => {
    expect(usageError(() => parseVerifyArguments(["--pattern", "writers"]))).toBe(
      '--pattern must be one of writer, source-principals, vending, inventory, organization-writer, access, got "writers"',
    );
    expect(usageError(() => parseVerifyArguments(["--mfa-code", "12ab"]))).toBe(
      '--mfa-code must be the 6 digits your MFA device shows, got "12ab"',
    );
    expect(usageError(() => parseVerifyArguments(["--baseline"]))).toBe("--baseline needs a value");
    expect(usageError(() => parseVerifyArguments(["--destroy"]))).toContain(
      'unknown argument "--destroy"; allowed: --json',
    );
  });
});

describe("npm start's command line", () => {
  test("--pattern (repeatable) picks patterns in their order; none means all", () => {
    expect(parseDemoArguments([]).patterns).toEqual(["writer", "source-principals", "vending", "inventory"]);
    expect(parseDemoArguments(["--pattern", "inventory", "--pattern", "vending", "--keep"])).toEqual({
      keep: true,
      help: false,
      patterns: ["vending", "inventory"],
    });
  });

  test("a bad pattern name is refused naming the allowed ones", () => {
    expect(usageError(() => parseDemoArguments(["--pattern", "access-map"]))).toBe(
      '--pattern must be one of writer, source-principals, vending, inventory, got "access-map"',
    );
    expect(usageError(() => parseDemoArguments(["--pattern"]))).toContain("--pattern needs a value");
  });
});

describe("verify's report", () => {
  const outcomes: CheckOutcome[] = [
    { pattern: "writer", check: "destination: the probe is in the table", status: "ok", detail: "read back" },
    { pattern: "writer", check: "destination: the probe is in the bucket", status: "failed", detail: "no object" },
    { pattern: "vending", check: "vending", status: "skipped", detail: "the config has no vending section" },
  ];

  test("a line per check names its status, pattern, check and detail", () => {
    expect(outcomeLine(outcomes[1])).toBe(
      "FAILED  writer            destination: the probe is in the bucket: no object",
    );
  });

  test("the summary has a row per pattern and says how many failed", () => {
    expect(summaryTable(outcomes).split("\n")).toEqual([
      "| pattern           | result  | ok | failed | skipped |",
      "|-------------------|---------|----|--------|---------|",
      "| writer            | FAILED  |  1 |      1 |       0 |",
      "| vending           | skipped |  0 |      0 |       1 |",
      "",
      "verify FAILED: 1 of 3 checks failed",
    ]);
    expect(summaryTable([outcomes[0]]).split("\n").at(-1)).toBe("verify: all ok (1 ok, 0 skipped)");
  });
});

describe("verify's reading of a deployment", () => {
  test("the output names it reads are the stack's", () => {
    expect(OUTPUT_NAMES.vendFunctionUrl).toBe(VENDING_OUTPUTS.functionUrl);
    expect(OUTPUT_NAMES.vendFunctionName).toBe(VENDING_OUTPUTS.functionName);
    expect(OUTPUT_NAMES.vendingRoles).toBe(VENDING_OUTPUTS.vendingRoles);
  });

  test("a state resource without an ARN is located by its provider in the synthesized configuration", () => {
    const plan = stateAsPlan({
      synthesized: {
        provider: { aws: [{ alias: "destination", allowed_account_ids: ["222222222222"], region: "eu-west-1" }] },
        resource: { aws_iam_role_policy: { writes: { provider: "aws.destination" } } },
      },
      state: {
        values: {
          root_module: {
            resources: [
              {
                address: "aws_iam_role_policy.writes",
                type: "aws_iam_role_policy",
                name: "writes",
                values: { role: "r" },
              },
            ],
          },
        },
      },
    });
    expect(priorStateInstances(plan)).toEqual([
      {
        type: "aws_iam_role_policy",
        id: "writes",
        accountId: "222222222222",
        region: "eu-west-1",
        values: { role: "r" },
      },
    ]);
  });

  test("a vending caller is its user, or any session of its role", () => {
    const caller = (arn: string) => ({ arn, credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    const role = "arn:aws:iam::111111111111:role/reporting";
    expect(isCaller(role, caller("arn:aws:sts::111111111111:assumed-role/reporting/nightly"))).toBe(true);
    expect(
      isCaller(
        "arn:aws:iam::111111111111:role/team/reporting",
        caller("arn:aws:sts::111111111111:assumed-role/reporting/x"),
      ),
    ).toBe(true);
    expect(isCaller(role, caller("arn:aws:sts::333333333333:assumed-role/reporting/nightly"))).toBe(false);
    expect(isCaller(role, caller("arn:aws:sts::111111111111:assumed-role/reporting-2/nightly"))).toBe(false);
    expect(isCaller("arn:aws:iam::111111111111:user/ingest", caller("arn:aws:iam::111111111111:user/ingest"))).toBe(
      true,
    );
  });
});
