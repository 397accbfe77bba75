import { EXAMPLE_CONFIG, resolveConfig } from "../stacks/config";
import { analytics, problemsOf, withDestinations } from "./config-fixtures";
import { REAL_ACCOUNTS, synthesize, THREE_DESTINATIONS } from "./synth";

// DynamoDB encrypts every table; which key is a choice. The provider's `server_side_encryption { enabled = true }`
// without a key is the AWS managed key aws/dynamodb (KMS charges), not the AWS owned key: the default is written out.
const KEY_EU = "arn:aws:kms:eu-central-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_US = "arn:aws:kms:us-east-1:222222222222:key/5678efgh-12ab-34cd-56ef-1234567890ab";

const encryptionOf = (input: Parameters<typeof synthesize>[0]) =>
  Object.values(synthesize(input).resources("aws_dynamodb_table")).map((table) => [
    table.name,
    table.server_side_encryption,
  ]);

describe("tableEncryption", () => {
  test("[aws-rule dynamodb-sse-key] the default is the AWS owned key: server_side_encryption enabled false, written out", () => {
    expect(resolveConfig(EXAMPLE_CONFIG).destinations[0].tableEncryption).toBe("aws-owned");
    expect(synthesize(REAL_ACCOUNTS).resource("aws_dynamodb_table").block.server_side_encryption).toEqual({
      enabled: false,
    });
  });

  test("[aws-rule dynamodb-sse-key] aws-managed is enabled true without a key (aws/dynamodb); a kmsKeyArn is that key", () => {
    expect(encryptionOf({ ...REAL_ACCOUNTS, tableEncryption: "aws-managed" })).toEqual([
      ["wd-ddb-table", { enabled: true }],
    ]);
    expect(encryptionOf({ ...REAL_ACCOUNTS, tableEncryption: { kmsKeyArn: KEY_EU } })).toEqual([
      ["wd-ddb-table", { enabled: true, kms_key_arn: KEY_EU }],
    ]);
  });

  test("each of destinations may set its own; the others take the config-wide one", () => {
    const config = {
      ...THREE_DESTINATIONS,
      tableEncryption: "aws-managed" as const,
      destinations: THREE_DESTINATIONS.destinations?.map((destination) =>
        destination.name === "analytics" ? { ...destination, tableEncryption: { kmsKeyArn: KEY_US } } : destination,
      ),
    };
    expect(resolveConfig(config).destinations.map(({ name, tableEncryption }) => [name, tableEncryption])).toEqual([
      ["analytics", { kmsKeyArn: KEY_US }],
      ["analytics-eu", "aws-managed"],
      ["archive", "aws-managed"],
    ]);
    const tables = encryptionOf(config).map(([, encryption]) => JSON.stringify(encryption));
    expect(tables.sort()).toEqual(
      [{ enabled: true, kms_key_arn: KEY_US }, { enabled: true }, { enabled: true }].map((item) =>
        JSON.stringify(item),
      ),
    );
  });
});

describe("tableEncryption fails", () => {
  test.each<[string, unknown, RegExp]>([
    [
      "an unknown key type",
      { ...EXAMPLE_CONFIG, tableEncryption: "kms" },
      /^tableEncryption must be "aws-owned" \(no charge\), "aws-managed" \(the aws\/dynamodb key, KMS charges\) or \{ "kmsKeyArn": <KMS key ARN> \} \(a customer managed key\), got "kms"$/,
    ],
    [
      "a key alias instead of a key ARN",
      withDestinations({ ...analytics, tableEncryption: { kmsKeyArn: "alias/aws/dynamodb" } }),
      /^destinations\.0\.tableEncryption\.kmsKeyArn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key\/1234abcd-12ab-34cd-56ef-1234567890ab, got "alias\/aws\/dynamodb"$/,
    ],
    [
      "a key in another region than the table",
      { ...REAL_ACCOUNTS, tableEncryption: { kmsKeyArn: KEY_EU.replace("eu-central-1", "eu-west-1") } },
      /^tableEncryption\.kmsKeyArn must be a key in destination destination's account 210987654321 and region eu-central-1 \(KMS keys are regional; .*\), got "arn:aws:kms:eu-west-1:210987654321:key\/1234abcd/,
    ],
  ])("on %s", (_name, input, expected) => {
    const problems = problemsOf(input);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });
});
