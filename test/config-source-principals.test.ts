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
      operators: [{ ...operators, requireMfa: true }],
    });
  });

  test.each([
    [
      "a user name IAM refuses",
      { operators: [{ ...operators, users: ["alice smith"] }] },
      'sourcePrincipals.operators.0.users.0 must be an IAM user name of 1-64 letters, digits and +=,.@_-, got "alice smith"',
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
