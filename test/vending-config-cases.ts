import { EXAMPLE_CONFIG } from "../stacks/config";
import { READER_ARN, VENDING_EXAMPLE } from "./vending-fixtures";

/** The example with vending for these callers. */
export const withCallers = (...callers: Record<string, unknown>[]) => ({ ...EXAMPLE_CONFIG, vending: { callers } });
const reader = { arn: READER_ARN, destinations: ["destination"], access: "read" };

/** A failing case of each vending rule (merged into test/config-rules.test.ts's FAILING). */
export const VENDING_FAILING = {
  "vending-destinations-known": [
    {
      when: "a caller names a destination the config does not have",
      input: withCallers({ ...reader, destinations: ["destination", "analytics"] }),
      expected: /vending\.callers\.0\.destinations names no destination: "analytics"; allowed: "destination"/,
    },
  ],
  "vending-callers-unique": [
    {
      when: "a caller's principal is named twice (once with a path)",
      input: withCallers(reader, { ...reader, arn: "arn:aws:iam::111111111111:role/team/reporting", prefix: "r2" }),
      expected:
        /vending\.callers\.1\.arn names the principal of vending\.callers\.0 again: "arn:aws:iam::111111111111:role\/team\/reporting"; give each principal once/,
    },
  ],
  "vending-prefixes-distinct": [
    {
      when: "a user and a role of one name fall into the same default folder",
      input: withCallers(reader, {
        arn: "arn:aws:iam::111111111111:user/reporting",
        destinations: ["destination"],
        access: "write",
      }),
      expected:
        /vending\.callers\.1\.prefix would be "reporting", the folder of vending\.callers\.0: set prefix on one of them, or the same prefix on both to share on purpose/,
    },
  ],
  "vending-role-names-fit": [
    {
      when: "the destination's role name leaves no room for -vending",
      input: { ...VENDING_EXAMPLE, names: { destinationRole: "r".repeat(60) } },
      expected: new RegExp(
        `vending role would be "${"r".repeat(60)}-vending" \\(68 characters\\): IAM allows 64, so give the destination a role name of at most 56`,
      ),
    },
  ],
  "vending-session-policies-fit": [
    {
      when: "long table, bucket and prefix names make the session policy longer than AssumeRole accepts",
      input: {
        ...withCallers({ ...reader, access: "read-write", prefix: `${"p".repeat(49)}/${"q".repeat(50)}` }),
        names: { table: "t".repeat(255), bucketPrefix: "b".repeat(200) },
      },
      expected:
        /vending\.callers\.0\.prefix for destination: the session policy is \d{4} characters, more than the 2048 AssumeRole accepts/,
    },
  ],
  "vending-packed-policy-fits": [
    {
      when: "a session policy within AssumeRole's 2048 characters leaves no room for the session tags [aws-rule sts-packed-policy-size]",
      input: {
        ...withCallers({ ...reader, access: "read-write", prefix: `${"p".repeat(49)}/${"q".repeat(50)}` }),
        names: { table: "t".repeat(255), bucketPrefix: "b".repeat(100) },
      },
      expected:
        /vending\.callers\.0 \(arn:aws:iam::111111111111:role\/reporting\) for destination destination: its session policy \(1\d{3} characters\) and session tags \(up to 190\) come to \d{4} characters, more than the 2048 allowed for what AssumeRole packs together \(STS refuses an oversized packed policy with PackedPolicyTooLarge\)/,
    },
  ],
  "vend-function-policy-fits": [
    {
      when: "thirty-five callers, whose environment fits, overflow the function's 20 KB resource-based policy [aws-rule lambda-resource-policy-size]",
      input: withCallers(
        ...Array.from({ length: 35 }, (_, index) => ({
          arn: `arn:aws:iam::111111111111:role/caller-${index}`,
          destinations: ["destination"],
          access: "read",
        })),
      ),
      expected:
        /^vending\.callers \(35\) need about 2\d{4} bytes of the vending function's resource-based policy \(two statements each: lambda:InvokeFunctionUrl, and lambda:InvokeFunction through the URL\), Lambda allows 20480: name fewer callers/,
    },
  ],
  "vending-environment-fits-lambda": [
    {
      when: "fifty callers with long prefixes overflow the 4 KB environment",
      input: withCallers(
        ...Array.from({ length: 50 }, (_, index) => ({
          arn: `arn:aws:iam::111111111111:role/caller-${index}`,
          destinations: ["destination"],
          access: "read-write",
          prefix: `team-${index}/${"x".repeat(40)}`,
        })),
      ),
      expected:
        /vending\.callers need \d{4,5} bytes of the vending function's environment, Lambda allows 4096: name fewer callers or destinations, or shorter prefixes/,
    },
  ],
};

/** Well-formedness of the section: each refusal names the field, the value and what is allowed. */
export const VENDING_SCHEMA_FAILING: readonly (readonly [string, unknown, RegExp])[] = [
  [
    "an account root as caller",
    withCallers({ ...reader, arn: "arn:aws:iam::111111111111:root" }),
    /vending\.callers\.0\.arn must be the exact ARN of an IAM user or role \(not an account root or a session\).*got "arn:aws:iam::111111111111:root"/,
  ],
  [
    "an unknown access",
    withCallers({ ...reader, access: "admin" }),
    /vending\.callers\.0\.access must be "read" or "write" or "read-write", got "admin"/,
  ],
  [
    "a session of two hours",
    withCallers({ ...reader, maxDurationSeconds: 7200 }),
    /vending\.callers\.0\.maxDurationSeconds must be a whole number of seconds \(role chaining allows at most 1 hour\) from 900 to 3600, got 7200/,
  ],
  ["no callers", withCallers(), /vending\.callers must name at least one caller/],
  [
    "a prefix with a leading slash",
    withCallers({ ...reader, prefix: "/x" }),
    /vending\.callers\.0\.prefix must be an S3 key prefix/,
  ],
  [
    "an unknown key",
    { ...EXAMPLE_CONFIG, vending: { callers: [reader], roles: [] } },
    /vending has unknown keys "roles"; allowed: callers, functionName, executionRole/,
  ],
  [
    "a caller with no destinations",
    withCallers({ ...reader, destinations: [] }),
    /vending\.callers\.0\.destinations must name at least one destination/,
  ],
];
