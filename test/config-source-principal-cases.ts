import { EXAMPLE_CONFIG } from "../stacks/config";
import { analytics, withDestinations } from "./config-fixtures";

/** The example with `sourcePrincipals`, its destination offering read-write access. */
const withPrincipals = (sourcePrincipals: Record<string, unknown>) => ({
  ...EXAMPLE_CONFIG,
  destination: { ...EXAMPLE_CONFIG.destination, access: "read-write" },
  sourcePrincipals,
});
const batch = { name: "batch-ec2", destinations: ["destination"] };
const operators = { group: "operators", users: ["alice"], destinations: ["destination"] };

/** Configs that break each rule of `sourcePrincipals`, and what the rule says (see test/config-rules.test.ts). */
export const SOURCE_PRINCIPAL_FAILING = {
  "source-principal-destinations-known": [
    {
      when: "an instance role names an unknown destination",
      input: withPrincipals({ instanceRoles: [{ ...batch, destinations: ["destination", "archive"] }] }),
      expected:
        /sourcePrincipals\.instanceRoles\.0\.destinations\.1 names no destination: "archive"; allowed: "destination"/,
    },
  ],
  "source-principal-destinations-unique": [
    {
      when: "an operator group lists a destination twice",
      input: withPrincipals({ operators: [{ ...operators, destinations: ["destination", "destination"] }] }),
      expected: /sourcePrincipals\.operators\.0\.destinations names "destination" more than once/,
    },
  ],
  "source-principal-names-unique": [
    {
      when: "the same instance role is listed twice",
      input: withPrincipals({ instanceRoles: [batch, batch] }),
      expected: /sourcePrincipals\.instanceRoles names the role "batch-ec2" more than once/,
    },
    {
      when: "two instance roles differ only in case (IAM names ignore case) [aws-rule iam-names]",
      input: withPrincipals({ instanceRoles: [batch, { ...batch, name: "Batch-EC2" }] }),
      expected: /sourcePrincipals\.instanceRoles names the role "Batch-EC2" more than once/,
    },
    {
      when: "two operator groups differ only in case [aws-rule iam-names]",
      input: withPrincipals({ operators: [operators, { ...operators, group: operators.group.toUpperCase() }] }),
      expected: new RegExp(
        `sourcePrincipals\\.operators names the group "${operators.group.toUpperCase()}" more than once`,
      ),
    },
    {
      when: "an instance role takes the writer's role name",
      input: withPrincipals({ instanceRoles: [{ ...batch, name: "cross-account-write-to-222222222222" }] }),
      expected:
        /sourcePrincipals\.instanceRoles\.0\.name is the writer's role name "cross-account-write-to-222222222222"/,
    },
    {
      when: "a user is listed twice in a group, once by name and once by ARN",
      input: withPrincipals({
        operators: [{ ...operators, users: ["alice", "arn:aws:iam::111111111111:user/team/alice"] }],
      }),
      expected: /sourcePrincipals\.operators\.0\.users names the user "alice" more than once/,
    },
  ],
  "instance-roles-without-mfa": [
    {
      when: "an instance role asks for MFA",
      input: withPrincipals({ instanceRoles: [{ ...batch, requireMfa: true }] }),
      expected: /sourcePrincipals\.instanceRoles\.0\.requireMfa applies to operators \(IAM users\) only/,
    },
  ],
  "operators-mfa-age-needs-mfa": [
    {
      when: "an MFA age limit is set without MFA",
      input: withPrincipals({ operators: [{ ...operators, requireMfa: false, maxMfaAgeSeconds: 3600 }] }),
      expected: /sourcePrincipals\.operators\.0\.maxMfaAgeSeconds needs requireMfa/,
    },
  ],
  "operator-users-in-source-account": [
    {
      when: "a user ARN and an MFA device are of another account",
      input: withPrincipals({
        operators: [
          {
            ...operators,
            users: [
              {
                user: "arn:aws:iam::999999999999:user/team/alice",
                mfaSerial: "arn:aws:iam::999999999999:mfa/alice",
              },
            ],
          },
        ],
      }),
      expected:
        /sourcePrincipals\.operators\.0\.users\.0 user must be in the source account 111111111111, got "arn:aws:iam::999999999999:user\/team\/alice"\nsourcePrincipals\.operators\.0\.users\.0 mfaSerial must be in the source account 111111111111, got "arn:aws:iam::999999999999:mfa\/alice"/,
    },
  ],
  "source-principal-access-offered": [
    {
      when: "a principal asks to read from a write-only destination",
      input: {
        ...withDestinations(analytics),
        sourcePrincipals: { instanceRoles: [{ name: "batch-ec2", destinations: ["analytics"], access: "read" }] },
      },
      expected:
        /sourcePrincipals\.instanceRoles\.0\.access "read" is more than destination "analytics" offers: its access is "write"/,
    },
  ],
  "source-principal-role-names-fit": [
    {
      when: "a principal's own role would be longer than 64 characters",
      input: {
        ...withDestinations({ ...analytics, access: "read-write", role: "r".repeat(60) }),
        sourcePrincipals: { operators: [{ ...operators, destinations: ["analytics"], access: "read" }] },
      },
      expected:
        /sourcePrincipals\.operators\.0 needs the role "r{60}-read" in destination "analytics", longer than IAM's 64 characters/,
    },
  ],
};
