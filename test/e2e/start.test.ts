import * as path from "node:path";
import { PROJECT_ROOT, run, TSX } from "../../scripts/shared/process";
import { describeWithTools } from "./tools";

describeWithTools("npm start: every pattern deployed to a local emulator, verified, mapped and destroyed", () => {
  let stdout: string;
  let code: number;

  beforeAll(async () => {
    const result = await run(TSX, [path.join(PROJECT_ROOT, "scripts", "demo.ts")], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      okCodes: [0, 1],
    });
    ({ stdout, code } = result);
    if (code !== 0) console.error(`npm start failed:\n${stdout}\n${result.stderr}`);
  }, 900_000);

  test("it ends with exit code 0 after the six numbered steps, in order", () => {
    expect(code).toBe(0);
    const steps = stdout.split("\n").filter((line) => /^\[\d\/6 /.test(line));
    expect(steps.map((line) => line.replace(/^\[(\d)\/6 [\d.]+s\] /, "$1 "))).toEqual([
      "1 Starting the local AWS emulator (moto_server) for the patterns: writer, source-principals, vending, inventory",
      "2 Synthesizing the stack (main.ts, the example config with the patterns) to Terraform JSON",
      "3 Deploying every account in one plan: terraform init + apply (a minute or two: the AWS provider waits for each bucket's lifecycle rule to settle)",
      "4 Verifying each pattern where it was deployed (npm run verify's checks)",
      "5 The access map of what is deployed: who can reach what",
      "6 Destroying everything (the demo opts in to deleting its data) and checking that nothing is left",
    ]);
    expect(stdout).toMatch(
      /^Done in [\d.]+s: writer, source-principals, vending, inventory deployed, verified and destroyed\.$/m,
    );
  });

  test("verify's checks are all ok for every pattern, and its summary says so", () => {
    for (const pattern of ["writer", "source-principals", "vending", "inventory", "access"])
      expect(stdout).toMatch(new RegExp(`^ +\\| ${pattern} +\\| ok +\\|`, "m"));
    expect(stdout).not.toMatch(/^ +(FAILED|skipped) /m);
    expect(stdout).toMatch(/verify: all ok \(11 ok, 0 skipped\)/);
  });

  test("the access map's table is printed with where its picture is", () => {
    expect(stdout).toContain("user/alice: sts:AssumeRole on role/assume-role-via-111111111111 when MFA required");
    // Both actions a function URL call needs, the direct invoke only through the URL (docs/aws-rules.md).
    expect(stdout).toContain(
      "role/reporting: lambda:InvokeFunction, lambda:InvokeFunctionUrl on function cross-account-vend (us-east-1) " +
        "when function URL auth AWS_IAM, through the function URL",
    );
    expect(stdout).toMatch(/\d+ accesses; the picture: \.build\/demo\/access\/access\.svg/);
  });

  test("destroy left no role, table, bucket, function or log group in the source, the destination or the member account", () => {
    const clean = stdout.match(/account \d{12}: no roles, tables, buckets, functions or log groups left/g) ?? [];
    expect(clean).toHaveLength(3);
    expect(clean.slice(0, 2)).toEqual([
      "account 111111111111: no roles, tables, buckets, functions or log groups left",
      "account 222222222222: no roles, tables, buckets, functions or log groups left",
    ]);
  });
});
