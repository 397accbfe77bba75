import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AssumeRoleCommand, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { assumeDestinationRole, parseArguments } from "../scripts/assume";
import { splitExec } from "../scripts/assume/assume-arguments";
import { credentialEnvironment, runWithEnvironment } from "../scripts/assume/exec-with-credentials";
import { TSX, UsageError } from "../scripts/shared/process";
import { EXAMPLE_CONFIG, resolveConfig } from "../stacks/config";

const config = resolveConfig(EXAMPLE_CONFIG);
const ROLE = "arn:aws:iam::222222222222:role/assume-role-via-111111111111";
const EXPIRATION = new Date("2030-01-01T00:00:00Z");
const sts = mockClient(STSClient);
const CHILD = path.join(__dirname, "fixtures", "exec", "run-and-exit-as.ts");
// A child that writes the AWS variables it sees to the file named by its first argument and exits with code 3.
const PRINT_ENV_AND_EXIT_3 = `require("node:fs").writeFileSync(process.argv[1], JSON.stringify(Object.fromEntries(
  Object.entries(process.env).filter(([name]) => name.startsWith("AWS_"))))); process.exit(3);`;

let directory: string;
beforeEach(() => {
  sts.reset();
  directory = mkdtempSync(path.join(os.tmpdir(), "assume-exec-"));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe("npm run assume -- <destination> --exec -- <command>", () => {
  test("takes everything after --exec (and one --) as the command, with the options before it", () => {
    expect(
      parseArguments(["destination", "--duration", "900", "--exec", "--", "aws", "s3", "ls", "--exec"], config),
    ).toEqual(expect.objectContaining({ roleArn: ROLE, durationSeconds: 900, exec: ["aws", "s3", "ls", "--exec"] }));
    expect(parseArguments(["destination", "--exec", "env"], config)).toEqual(
      expect.objectContaining({ exec: ["env"] }),
    );
    expect(
      splitExec(["analytics", "--via", "https://x.lambda-url.eu-west-1.on.aws/", "--exec", "--", "aws", "--via"]),
    ).toEqual({ own: ["analytics", "--via", "https://x.lambda-url.eu-west-1.on.aws/"], exec: ["aws", "--via"] });
  });

  test.each([
    [
      "no command",
      ["destination", "--exec", "--"],
      "--exec needs a command after it, e.g. --exec -- aws sts get-caller-identity",
    ],
    [
      "a format as well",
      ["destination", "--format", "json", "--exec", "env"],
      "--format prints the credentials and --exec runs a command with them: give one",
    ],
    ["--print-profiles", ["--print-profiles", "--exec", "env"], "--print-profiles takes no --exec"],
  ])("fails on %s", (_name, args, message) => {
    expect(() => parseArguments(args, config)).toThrow(UsageError);
    expect(() => parseArguments(args, config)).toThrow(message);
  });

  test("the command's environment: the credentials, the region, AWS_PROFILE cleared (as aws-vault exec sets it)", () => {
    const env = credentialEnvironment(
      { PATH: "/bin", AWS_PROFILE: "admin", AWS_DEFAULT_PROFILE: "admin", AWS_ACCESS_KEY_ID: "AKIAOLD" },
      {
        AccessKeyId: "ASIANEW",
        SecretAccessKey: "secret",
        SessionToken: "token",
        Expiration: EXPIRATION.toISOString(),
      },
      "eu-west-1",
    );
    expect(env).toEqual({
      PATH: "/bin",
      AWS_ACCESS_KEY_ID: "ASIANEW",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_SESSION_TOKEN: "token",
      AWS_SECURITY_TOKEN: "token",
      AWS_CREDENTIAL_EXPIRATION: "2030-01-01T00:00:00.000Z",
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
    });
    const credentials = { AccessKeyId: "ASIANEW", SecretAccessKey: "secret", SessionToken: "token" };
    expect(credentialEnvironment({}, credentials, undefined, "http://127.0.0.1:5000").AWS_ENDPOINT_URL).toBe(
      "http://127.0.0.1:5000",
    );
    expect(credentialEnvironment({}, credentials)).not.toHaveProperty("AWS_ENDPOINT_URL");
  });

  test("runs a real child with the assumed role's credentials (STS doubled at the client) and passes its exit code on", async () => {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: "ASIADEST",
        SecretAccessKey: "dest-secret",
        SessionToken: "dest-token",
        Expiration: EXPIRATION,
      },
    });
    const command = parseArguments(
      ["destination", "--exec", "--", process.execPath, "-e", PRINT_ENV_AND_EXIT_3],
      config,
    );
    if (command.kind !== "assume" || !command.exec) throw new Error("expected an assume command with --exec");
    const credentials = await assumeDestinationRole(command, new STSClient({ region: "us-east-1" }));
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input).toEqual(
      expect.objectContaining({ RoleArn: ROLE, DurationSeconds: 3600 }),
    );
    const seen = path.join(directory, "env.json");
    const end = await runWithEnvironment(
      [...command.exec, seen],
      credentialEnvironment({ ...process.env, AWS_PROFILE: "admin" }, credentials, command.destination.region),
    );
    expect(end).toEqual({ code: 3, signal: null });
    expect(JSON.parse(readFileSync(seen, "utf8"))).toEqual(
      expect.objectContaining({
        AWS_ACCESS_KEY_ID: "ASIADEST",
        AWS_SECRET_ACCESS_KEY: "dest-secret",
        AWS_SESSION_TOKEN: "dest-token",
        AWS_REGION: "us-east-1",
        AWS_DEFAULT_REGION: "us-east-1",
      }),
    );
    expect(JSON.parse(readFileSync(seen, "utf8"))).not.toHaveProperty("AWS_PROFILE");
  });

  test("a refused AssumeRole runs nothing and says what to check", async () => {
    sts.on(AssumeRoleCommand).rejects(
      new STSServiceException({
        name: "AccessDenied",
        $fault: "client",
        $metadata: { httpStatusCode: 403 },
        message: `User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
      }),
    );
    const command = parseArguments(["destination", "--exec", "--", "env"], config);
    if (command.kind !== "assume") throw new Error("expected an assume command");
    await expect(assumeDestinationRole(command, new STSClient({ region: "us-east-1" }))).rejects.toThrow(
      `you may not assume ${ROLE}: check that your identity policy allows sts:AssumeRole on it`,
    );
  });

  test("a command that is not found ends with code 127's error, naming it", async () => {
    await expect(runWithEnvironment(["no-such-command-xyz"], process.env)).rejects.toThrow(
      'could not run "no-such-command-xyz": ENOENT',
    );
  });
});

describe("--exec passes signals on and ends as the command ended", () => {
  const runWrapper = (childScript: string) =>
    spawn(TSX, [CHILD, process.execPath, "-e", childScript], { stdio: ["ignore", "pipe", "pipe"] });
  const ended = (wrapper: ReturnType<typeof runWrapper>) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) => {
      let stdout = "";
      wrapper.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk;
      });
      wrapper.on("exit", (code, signal) => resolve({ code, signal, stdout }));
    });

  test("a SIGINT to assume reaches the command, and its exit code comes back", async () => {
    const wrapper = runWrapper(
      `process.on("SIGINT", () => { console.log("command got SIGINT"); process.exit(130); });
       console.log("ready"); setInterval(() => {}, 1000);`,
    );
    wrapper.stdout?.once("data", () => wrapper.kill("SIGINT"));
    const end = await ended(wrapper);
    expect(end.stdout).toContain("command got SIGINT");
    expect(end).toEqual(expect.objectContaining({ code: 130, signal: null }));
  }, 30_000);

  test("a command killed by a signal: assume ends with 128 + its number (143 for SIGTERM), as a shell reports it", async () => {
    // Run by tsx, as `npm run assume` is: tsx reports its script's death by a signal as that exit code.
    const end = await ended(runWrapper(`process.kill(process.pid, "SIGTERM")`));
    expect(end).toEqual(expect.objectContaining({ code: 143, signal: null }));
  }, 30_000);
});
