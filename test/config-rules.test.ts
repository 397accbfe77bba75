import * as v from "valibot";
import { EXAMPLE_CONFIG } from "../stacks/config";
import { destinationsOf } from "../stacks/config/defaults";
import { CONFIG_RULES, type ConfigRule } from "../stacks/config/rules";
import { type ConfigFile, configFileSchema } from "../stacks/config/schema";
import {
  analytics,
  problemsOf,
  tenDestinations,
  withDestination,
  withDestinations,
  withSource,
} from "./config-fixtures";
import { SOURCE_PRINCIPAL_FAILING } from "./config-source-principal-cases";
import { IAM_POLICY_SIZE_FAILING } from "./iam-policy-size-cases";
import { ORGANIZATION_WRITER_FAILING } from "./organization-writer-config-cases";
import { THREE_DESTINATIONS } from "./synth";
import { VENDING_FAILING } from "./vending-config-cases";

/** A config that breaks a rule, and what the rule says about it. */
interface FailingCase {
  readonly when: string;
  readonly input: unknown;
  readonly expected: RegExp;
  /** The schema refuses this input before the rule runs: check the rule alone, on the input as a parsed file. */
  readonly unreachableThroughSchema?: boolean;
}

const ops = { arn: "arn:aws:iam::444444444444:role/ops" };
const principals = (count: number, name: string) =>
  Array.from({ length: count }, (_, index) => ({ arn: `arn:aws:iam::444444444444:role/${name}-${index}` }));
const STATE = { bucket: "acme-terraform-state", region: "eu-west-1", accountId: "444455556666" };

const FAILING: Record<string, readonly FailingCase[]> = {
  "one-destination-form": [
    {
      when: "the destination is missing",
      input: { source: EXAMPLE_CONFIG.source },
      expected: /destination \(one\) or destinations \(several\) is required/,
    },
    {
      when: "both destination and destinations are given",
      input: { ...EXAMPLE_CONFIG, destinations: [analytics] },
      expected: /give either destination \(one\) or destinations \(several\), not both/,
    },
  ],
  "singular-names-only-with-destination": [
    {
      when: "names.table is used with destinations",
      input: { ...withDestinations(analytics), names: { table: "t-1" } },
      expected:
        /names\.table applies to the singular destination; with destinations set table on each destination, got "t-1"/,
    },
    {
      when: "names.destinationRole is used with destinations",
      input: { ...withDestinations(analytics), names: { destinationRole: "r" } },
      expected:
        /names\.destinationRole applies to the singular destination; with destinations set role on each destination/,
    },
  ],
  "destination-names-unique": [
    {
      when: "a name repeats",
      input: withDestinations(analytics, { ...analytics, region: "eu-west-1" }),
      expected: /destinations\.1\.name repeats the name "analytics" of destinations\.0/,
    },
  ],
  "role-names-unique-per-account": [
    {
      when: "two destinations in one account share a role name",
      input: withDestinations(
        { ...analytics, role: "writer" },
        { ...analytics, name: "eu", region: "eu-west-1", role: "writer" },
      ),
      expected:
        /destinations\.1\.role repeats role name "writer" in account 222222222222 \(IAM role names are per account, whatever their case\): set role of destinations\.0/,
    },
    {
      when: "two role names of one account differ only in case [aws-rule iam-names]",
      input: withDestinations(
        { ...analytics, role: "Writer" },
        { ...analytics, name: "eu", region: "eu-west-1", role: "writer" },
      ),
      expected:
        /destinations\.1\.role repeats role name "writer" in account 222222222222 \(IAM role names are per account, whatever their case\): set role of destinations\.0/,
    },
  ],
  "table-names-unique-per-region": [
    {
      when: "two destinations in one account and region share a table [aws-rule dynamodb-table-name]",
      input: withDestinations(analytics, { ...analytics, name: "second" }),
      expected:
        /destinations\.1\.table repeats table name "wd-ddb-table" in 222222222222 us-east-1: set table of destinations\.0/,
    },
  ],
  "bucket-names-unique": [
    {
      when: "two destinations share a bucket [aws-rule s3-bucket-names]",
      input: withDestinations(
        { ...analytics, bucket: "acme-records" },
        { name: "archive", accountId: "333333333333", region: "us-east-1", bucket: "acme-records" },
      ),
      expected:
        /destinations\.1\.bucket repeats bucket name "acme-records" \(bucket names are global\): set bucket of destinations\.0/,
    },
  ],
  "destination-differs-from-source": [
    {
      when: "both accounts are equal",
      input: withDestination({ accountId: "111111111111" }),
      expected: /destination\.accountId must differ from source\.accountId \(cross-account\), both are "111111111111"/,
    },
    {
      when: "a destination is the source account",
      input: withDestinations({ ...analytics, accountId: "111111111111" }),
      expected:
        /destinations\.0\.accountId must differ from source\.accountId \(cross-account\), both are "111111111111"/,
    },
  ],
  "roles-in-their-accounts": [
    {
      when: "the deploy role is in another account",
      input: withDestination({ deployRoleArn: "arn:aws:iam::333333333333:role/Deploy" }),
      expected:
        /destination\.deployRoleArn must be a role in destination account 222222222222, got "arn:aws:iam::333333333333:role\/Deploy"/,
    },
    {
      when: "a destination's deploy role is in another account",
      input: withDestinations({ ...analytics, deployRoleArn: "arn:aws:iam::333333333333:role/Deploy" }),
      expected:
        /destinations\.0\.deployRoleArn must be a role in destination account 222222222222, got "arn:aws:iam::333333333333:role\/Deploy"/,
    },
    {
      when: "the source's deploy role is in another account",
      input: withSource({ deployRoleArn: "arn:aws:iam::222222222222:role/Deploy" }),
      expected:
        /source\.deployRoleArn must be a role in source account 111111111111, got "arn:aws:iam::222222222222:role\/Deploy"/,
    },
    {
      when: "the state role is in another account",
      input: {
        ...EXAMPLE_CONFIG,
        stateBackend: { ...STATE, roleArn: "arn:aws:iam::111111111111:role/TerraformState" },
      },
      expected:
        /stateBackend\.roleArn must be a role in the state account 444455556666, got "arn:aws:iam::111111111111:role\/TerraformState"/,
    },
  ],
  "table-key-in-destination-account-and-region": [
    {
      when: "a destination's own key is in another account",
      input: withDestinations({
        ...analytics,
        tableEncryption: { kmsKeyArn: "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
      }),
      expected:
        /destinations\.0\.tableEncryption\.kmsKeyArn must be a key in destination analytics's account 222222222222 and region us-east-1 .*got "arn:aws:kms:us-east-1:999999999999:key\//,
    },
  ],
  "mfa-only-for-users": [
    {
      when: "MFA is required of a role",
      input: {
        ...EXAMPLE_CONFIG,
        trustedPrincipals: [{ arn: "arn:aws:iam::111111111111:role/ops", requireMfa: true }],
      },
      expected:
        /trustedPrincipals\.0\.requireMfa applies to IAM users only .*got "arn:aws:iam::111111111111:role\/ops"/,
    },
    {
      when: "a destination asks MFA of a role",
      input: withDestinations({ ...analytics, trustedPrincipals: [{ ...ops, requireMfa: true }] }),
      expected:
        /destinations\.0\.trustedPrincipals\.0\.requireMfa applies to IAM users only .*got "arn:aws:iam::444444444444:role\/ops"/,
    },
  ],
  "trusted-principals-unique": [
    {
      when: "a destination's own principal is also config-wide",
      input: { ...withDestinations({ ...analytics, trustedPrincipals: [ops] }), trustedPrincipals: [ops] },
      expected:
        /destinations\.0\.trustedPrincipals with the config-wide trustedPrincipals name "arn:aws:iam::444444444444:role\/ops" more than once/,
    },
  ],
  "trusted-principals-within-limit": [
    {
      when: "the config-wide and a destination's own principals are more than 20 together",
      input: {
        ...withDestinations({ ...analytics, trustedPrincipals: principals(10, "own") }),
        trustedPrincipals: principals(15, "wide"),
      },
      expected:
        /destinations\.0\.trustedPrincipals with the config-wide trustedPrincipals name 25 principals, at most 20 are allowed/,
    },
  ],
  "writer-session-within-role-maximum": [
    {
      when: "the writer asks for a longer session than the role allows",
      input: { ...EXAMPLE_CONFIG, maxSessionDurationSeconds: 1800, writerSessionDurationSeconds: 3600 },
      expected: /writerSessionDurationSeconds \(3600\) must not exceed maxSessionDurationSeconds \(1800\)/,
      unreachableThroughSchema: true,
    },
  ],
  "writer-environment-fits-lambda": [
    {
      when: "the destinations do not fit the writer's 4 KB environment [aws-rule lambda-environment-4kb]",
      input: tenDestinations("t".repeat(200)),
      expected:
        /destinations need \d{4} bytes of the writer's environment, Lambda allows 4096: use fewer destinations or shorter table, bucket and role names \(a destination's own externalId and a per-batch bulkObjects count too\)/,
    },
  ],
  ...SOURCE_PRINCIPAL_FAILING,
  ...VENDING_FAILING,
  ...ORGANIZATION_WRITER_FAILING,
  ...IAM_POLICY_SIZE_FAILING,
};

/** The problems of one rule alone, on an input that passes the schema (or taken as parsed when it cannot). */
function ruleProblems(rule: ConfigRule, input: unknown, unreachableThroughSchema = false): string[] {
  const file = unreachableThroughSchema ? (input as ConfigFile) : v.parse(configFileSchema, input);
  return rule.check(file, destinationsOf(file));
}

const ruleNamed = (name: string) => CONFIG_RULES.find((rule) => rule.name === name)!;

describe("config rules", () => {
  test("every rule has a failing case, and every failing case a rule", () => {
    expect(Object.keys(FAILING).sort()).toEqual(CONFIG_RULES.map((rule) => rule.name).sort());
  });

  const rules = CONFIG_RULES.map((rule) => [rule.name, rule] as const);
  test.each(rules)("%s passes the embedded example and three destinations", (_name, rule) => {
    expect(ruleProblems(rule, EXAMPLE_CONFIG)).toEqual([]);
    expect(ruleProblems(rule, THREE_DESTINATIONS)).toEqual([]);
  });

  const cases = Object.entries(FAILING).flatMap(([name, failing]) =>
    failing.map((failingCase) => [name, failingCase.when, failingCase] as const),
  );
  test.each(cases)("fails %s when %s", (name, _when, { input, expected, unreachableThroughSchema }) => {
    expect(ruleProblems(ruleNamed(name), input, unreachableThroughSchema).join("\n")).toMatch(expected);
    if (!unreachableThroughSchema) expect(problemsOf(input).join("\n")).toMatch(expected);
  });
});
