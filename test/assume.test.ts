import { explain, parseArguments } from "../scripts/assume";
import { UsageError } from "../scripts/shared/process";
import { EXAMPLE_CONFIG, resolveConfig } from "../stacks/config";

const config = resolveConfig({ ...EXAMPLE_CONFIG, maxSessionDurationSeconds: 7200 });
const ROLE = "arn:aws:iam::222222222222:role/assume-role-via-111111111111";
const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe("npm run assume", () => {
  test("takes the destination by name or account id, a duration up to the role's maximum, and a format", () => {
    const [destination] = config.destinations;
    expect(parseArguments(["destination"], config)).toEqual({
      kind: "assume",
      destination,
      roleArn: ROLE,
      durationSeconds: 3600,
      format: "env",
    });
    expect(parseArguments(["222222222222", "--duration", "7200", "--format", "credential-process"], config)).toEqual({
      kind: "assume",
      destination,
      roleArn: ROLE,
      durationSeconds: 7200,
      format: "credential-process",
    });
  });

  test("picks the destination's role for an access, takes an MFA device with its code, and prints profiles", () => {
    const readWrite = resolveConfig({
      ...EXAMPLE_CONFIG,
      destination: { ...EXAMPLE_CONFIG.destination, access: "read-write" },
    });
    const mfa = { serialNumber: "arn:aws:iam::111111111111:mfa/alice", tokenCode: "123456" };
    expect(
      parseArguments(
        ["destination", "--access", "read", "--mfa-serial", mfa.serialNumber, "--mfa-code", "123456"],
        readWrite,
      ),
    ).toEqual(expect.objectContaining({ roleArn: `${ROLE}-read`, mfa }));
    expect(parseArguments(["destination", "--access", "read-write"], readWrite)).toEqual(
      expect.objectContaining({ roleArn: ROLE }),
    );
    expect(parseArguments(["--print-profiles", "--source-profile", "alice"], config)).toEqual({
      kind: "print-profiles",
      sourceProfile: "alice",
    });
  });

  test.each([
    ["an unknown destination", ["prod"], `unknown destination "prod"; allowed: "destination" or "222222222222"`],
    ["two destinations", ["destination", "222222222222"], "unknown destination"],
    [
      "a duration over the role's maximum",
      ["destination", "--duration", "7201"],
      `--duration must be a whole number of seconds from 900 to 7200 (the role's maximum session), got "7201"`,
    ],
    ["a duration under 15 minutes", ["destination", "--duration", "60"], "from 900 to 7200"],
    [
      "an unknown format",
      ["destination", "--format", "yaml"],
      `--format must be one of env, json, credential-process, got "yaml"`,
    ],
    ["an option without its value", ["destination", "--duration"], "--duration needs a value"],
    [
      "an unknown option",
      ["destination", "--profile", "x"],
      `unknown option "--profile"; allowed: --duration, --format, --access`,
    ],
    [
      "an unknown access",
      ["destination", "--access", "admin"],
      `--access must be one of read, write, read-write, got "admin"`,
    ],
    [
      "an access the destination does not offer",
      ["destination", "--access", "read"],
      "--access read is not offered by destination destination: its access is write",
    ],
    [
      "an MFA code without its device",
      ["destination", "--mfa-code", "123456"],
      "--mfa-serial and --mfa-code go together",
    ],
    [
      "a destination with --print-profiles",
      ["--print-profiles", "destination"],
      "--print-profiles takes no destination",
    ],
  ])("fails on %s", (_name, args, message) => {
    expect(() => parseArguments(args, config)).toThrow(UsageError);
    expect(() => parseArguments(args, config)).toThrow(message);
  });

  test.each([
    [
      "AccessDenied",
      "not authorized",
      /you may not assume arn:aws:iam::222222222222:role\/assume-role-via-111111111111: check that your identity policy allows sts:AssumeRole on it, and that the role's trust names you/,
    ],
    [
      "ExpiredToken",
      "The security token included in the request is expired",
      /your AWS credentials have expired: log in again/,
    ],
    [
      "ValidationError",
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role",
      /a --duration of 7200 s above the role's maximum session/,
    ],
    [
      "CredentialsProviderError",
      "Could not load credentials from any providers",
      /no AWS credentials found: set a profile/,
    ],
  ])("explains %s with what to check, keeping AWS's words", (name, message, expected) => {
    const text = explain(awsError(name, message), ROLE, 7200);
    expect(text).toMatch(expected);
    expect(text).toContain(message);
  });
});
