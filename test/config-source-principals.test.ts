import { EXAMPLE_CONFIG, resolveConfig } from "../stacks/config";
import { problemsOf } from "./config-fixtures";

// The shape of `sourcePrincipals`: each bad value is refused with its field, the value and what is allowed.
const withPrincipals = (sourcePrincipals: unknown) => ({ ...EXAMPLE_CONFIG, sourcePrincipals });
const operators = { group: "operators", users: ["alice"], destinations: ["destination"] };

describe("sourcePrincipals in the config", () => {
  test("resolves with its defaults: MFA required of operators, access left to each destination", () => {
    const config = resolveConfig(
      withPrincipals({ instanceRoles: [{ name: "batch-ec2", destinations: ["destination"] }], operators: [operators] }),
    );
    expect(config.sourcePrincipals).toEqual({
      instanceRoles: [{ name: "batch-ec2", destinations: ["destination"] }],
      operators: [{ ...operators, users: [{ name: "alice", path: "/" }], requireMfa: true }],
    });
  });

  test("[aws-rule iam-user-path-arn] a user is given by name or by its ARN with its path; an MFA device by its own ARN", () => {
    const config = resolveConfig(
      withPrincipals({
        operators: [
          {
            ...operators,
            users: [
              "alice",
              "arn:aws:iam::111111111111:user/team/ops/bob",
              { user: "carol", mfaSerial: "arn:aws:iam::111111111111:mfa/devices/carol-phone" },
            ],
          },
        ],
      }),
    );
    expect(config.sourcePrincipals.operators[0].users).toEqual([
      { name: "alice", path: "/" },
      { name: "bob", path: "/team/ops/" },
      { name: "carol", path: "/", mfaSerial: "arn:aws:iam::111111111111:mfa/devices/carol-phone" },
    ]);
  });

  test.each([
    [
      "a user name IAM refuses",
      { operators: [{ ...operators, users: ["alice smith"] }] },
      'sourcePrincipals.operators.0.users.0 must be an IAM user name of 1-64 letters, digits and +=,.@_- or a user ARN with its path, e.g. alice or arn:aws:iam::123456789012:user/team/alice, got "alice smith"',
    ],
    [
      "a user ARN of another type",
      { operators: [{ ...operators, users: ["arn:aws:iam::111111111111:role/team/alice"] }] },
      'sourcePrincipals.operators.0.users.0 must be an IAM user name of 1-64 letters, digits and +=,.@_- or a user ARN with its path, e.g. alice or arn:aws:iam::123456789012:user/team/alice, got "arn:aws:iam::111111111111:role/team/alice"',
    ],
    [
      "an MFA device that is not an MFA ARN",
      { operators: [{ ...operators, users: [{ user: "alice", mfaSerial: "arn:aws:iam::111111111111:user/alice" }] }] },
      'sourcePrincipals.operators.0.users.0.mfaSerial must be an MFA device ARN such as arn:aws:iam::123456789012:mfa/alice-phone, got "arn:aws:iam::111111111111:user/alice"',
    ],
    [
      "a role name IAM refuses",
      { instanceRoles: [{ name: "batch/ec2", destinations: ["destination"] }] },
      'sourcePrincipals.instanceRoles.0.name must be an IAM role name of 1-64 letters, digits and +=,.@_-, got "batch/ec2"',
    ],
    [
      "an access that does not exist",
      { instanceRoles: [{ name: "batch-ec2", destinations: ["destination"], access: "admin" }] },
      'sourcePrincipals.instanceRoles.0.access must be "read" or "write" or "read-write", got "admin"',
    ],
    [
      "an empty list of destinations",
      { operators: [{ ...operators, destinations: [] }] },
      "sourcePrincipals.operators.0.destinations must name at least one destination",
    ],
    [
      "an MFA age out of range",
      { operators: [{ ...operators, maxMfaAgeSeconds: 10 }] },
      "sourcePrincipals.operators.0.maxMfaAgeSeconds must be a whole number of seconds (an MFA session's age) from 60 to 129600, got 10",
    ],
    [
      "an unknown key",
      { operators: [{ ...operators, mfa: true }] },
      'sourcePrincipals.operators.0 has unknown keys "mfa"; allowed: group, users, destinations, access, requireMfa, maxMfaAgeSeconds',
    ],
  ])("fails on %s, naming the field, the value and what is allowed", (_name, section, message) => {
    expect(problemsOf(withPrincipals(section))).toEqual([message]);
  });
});
