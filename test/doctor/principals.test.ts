import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  IAMServiceException,
  NoSuchEntityException,
} from "@aws-sdk/client-iam";
import { HeadBucketCommand, NotFound, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { namedPrincipals } from "../../scripts/doctor/named-principals";
import { checkPrincipal, type NamedPrincipal, principalOf } from "../../scripts/doctor/principals";
import type { ReachPath } from "../../scripts/doctor/reach";
import { runDoctor } from "../../scripts/doctor/run";
import { configOf, PROFILE_CONFIG, sharedAwsFiles } from "./doctor-fixtures";

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
beforeEach(() => {
  iam.reset();
  sts.reset();
  ec2.reset();
  s3.reset();
});

const PATH: ReachPath = { kind: "profile", profile: "src" };
const principal = (arn: string, fields = ["trustedPrincipals[0].arn"]) => principalOf(arn, fields) as NamedPrincipal;
/** What IAM answers for a user or role that does not exist: the SDK's modeled NoSuchEntity error, HTTP 404. */
const noSuchEntity = (kind: "user" | "role", name: string) =>
  new NoSuchEntityException({
    $metadata: { httpStatusCode: 404 },
    message: `The ${kind} with name ${name} cannot be found.`,
  });
/** IAM's refusal, a query-protocol error code without a modeled exception class, HTTP 403. */
const accessDenied = (action: string, resource: string) =>
  new IAMServiceException({
    name: "AccessDenied",
    $fault: "client",
    $metadata: { httpStatusCode: 403 },
    message: `User: arn:aws:iam::111111111111:user/alice is not authorized to perform: iam:${action} on resource: ${resource} because no identity-based policy allows the iam:${action} action`,
  });

describe("[aws-rule iam-principal-must-exist] the principals a config names in policies", () => {
  test("trusted principals (config-wide and a destination's own), operator users and vending callers, once per ARN with every field", () => {
    const config = configOf({
      source: { accountId: "111111111111", region: "us-east-1" },
      trustedPrincipals: [{ arn: "arn:aws:iam::111111111111:user/team/alice", requireMfa: true }],
      destinations: [
        { name: "a", accountId: "222222222222", region: "us-east-1" },
        {
          name: "b",
          accountId: "222222222222",
          region: "eu-west-1",
          trustedPrincipals: [{ arn: "arn:aws:iam::333333333333:role/ops" }],
        },
      ],
      sourcePrincipals: {
        operators: [
          {
            group: "operators",
            users: ["bob", "arn:aws:iam::111111111111:user/team/alice"],
            destinations: ["a"],
          },
        ],
      },
      vending: {
        callers: [{ arn: "arn:aws:iam::111111111111:role/reporting", destinations: ["b"], access: "read" }],
      },
    });
    expect(
      namedPrincipals(config).map(({ principal: { arn, kind, name, path, fields } }) => [
        arn,
        kind,
        name,
        path,
        fields,
      ]),
    ).toEqual([
      [
        "arn:aws:iam::111111111111:user/team/alice",
        "user",
        "alice",
        "/team/",
        ["trustedPrincipals[0].arn", "sourcePrincipals.operators[0].users[1]"],
      ],
      ["arn:aws:iam::333333333333:role/ops", "role", "ops", "/", ["destinations[1].trustedPrincipals[0].arn"]],
      ["arn:aws:iam::111111111111:user/bob", "user", "bob", "/", ["sourcePrincipals.operators[0].users[0]"]],
      ["arn:aws:iam::111111111111:role/reporting", "role", "reporting", "/", ["vending.callers[0].arn"]],
    ]);
  });

  test("roles the stack itself makes are named as such, not checked: they do not exist before the first deploy", () => {
    const config = configOf({
      ...PROFILE_CONFIG,
      trustedPrincipals: [
        { arn: "arn:aws:iam::111111111111:role/cross-account-write-to-222222222222" },
        { arn: "arn:aws:iam::111111111111:role/batch-ec2" },
        { arn: "arn:aws:iam::222222222222:role/batch-ec2" },
      ],
      sourcePrincipals: { instanceRoles: [{ name: "batch-ec2", destinations: ["destination"] }] },
    });
    expect(namedPrincipals(config).map(({ principal, madeByStack }) => [principal.arn, madeByStack])).toEqual([
      ["arn:aws:iam::111111111111:role/cross-account-write-to-222222222222", "the writer's execution role"],
      ["arn:aws:iam::111111111111:role/batch-ec2", "an instance role"],
      // Another account's role of the same name is not the stack's.
      ["arn:aws:iam::222222222222:role/batch-ec2", undefined],
    ]);
  });
});

describe("[aws-rule iam-principal-must-exist] one principal, read through its account's path", () => {
  test("a role that exists is ok; GetRole takes its name without the path", async () => {
    iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: "ops",
        Path: "/team/",
        Arn: "arn:aws:iam::111111111111:role/team/ops",
        RoleId: "AROAEXAMPLE",
        CreateDate: new Date(),
      },
    });
    const result = await checkPrincipal(principal("arn:aws:iam::111111111111:role/team/ops"), PATH, {});
    expect(result).toEqual({
      group: "principals",
      subject: "arn:aws:iam::111111111111:role/team/ops",
      status: "ok",
      detail: "exists (named by trustedPrincipals[0].arn)",
    });
    expect(iam.commandCalls(GetRoleCommand)[0].args[0].input).toEqual({ RoleName: "ops" });
  });

  test("a user that does not exist is a problem naming the ARN, the config field and the fix", async () => {
    iam.on(GetUserCommand).rejects(noSuchEntity("user", "alice"));
    const result = await checkPrincipal(
      principal("arn:aws:iam::111111111111:user/team/alice", ["destinations[0].trustedPrincipals[2].arn"]),
      PATH,
      {},
    );
    expect(result).toEqual({
      group: "principals",
      subject: "arn:aws:iam::111111111111:user/team/alice",
      status: "problem",
      detail:
        'user alice does not exist in account 111111111111 (NoSuchEntityException (HTTP 404): The user with name alice cannot be found.): AWS refuses a policy naming it ("Invalid principal in policy"), so the deploy would fail',
      fix: "create it in account 111111111111 first (aws iam create-user --user-name alice --path /team/ --profile src), or correct destinations[0].trustedPrincipals[2].arn",
    });
    expect(iam.commandCalls(GetUserCommand)[0].args[0].input).toEqual({ UserName: "alice" });
  });

  test("a role that does not exist names create-role; through a deploy role the fix names no profile", async () => {
    iam.on(GetRoleCommand).rejects(noSuchEntity("role", "reporting"));
    const result = await checkPrincipal(
      principal("arn:aws:iam::111111111111:role/reporting", ["vending.callers[0].arn"]),
      { kind: "role", roleArn: "arn:aws:iam::111111111111:role/Deploy", profile: "hub" },
      {},
    );
    expect(result.status).toBe("problem");
    expect(result.fix).toBe(
      "create it in account 111111111111 first (aws iam create-role --role-name reporting --assume-role-policy-document file://trust.json), or correct vending.callers[0].arn",
    );
  });

  test("[aws-rule iam-user-path-arn] a principal found under another path is a problem: the ARN the config names is not its ARN", async () => {
    iam.on(GetUserCommand).resolves({
      User: {
        UserName: "alice",
        Path: "/",
        Arn: "arn:aws:iam::111111111111:user/alice",
        UserId: "AIDAEXAMPLE",
        CreateDate: new Date(),
      },
    });
    const result = await checkPrincipal(
      principal("arn:aws:iam::111111111111:user/team/alice", ["sourcePrincipals.operators[0].users[0]"]),
      PATH,
      {},
    );
    expect(result).toMatchObject({
      status: "problem",
      fix: 'set sourcePrincipals.operators[0].users[0] to "arn:aws:iam::111111111111:user/alice"',
    });
    expect(result.detail).toContain("user alice exists as arn:aws:iam::111111111111:user/alice, a different ARN");
  });

  test("without iam:GetRole the row is skipped and names the permission", async () => {
    iam.on(GetRoleCommand).rejects(accessDenied("GetRole", "role ops"));
    const result = await checkPrincipal(principal("arn:aws:iam::111111111111:role/ops"), PATH, {});
    expect(result.status).toBe("skipped");
    expect(result.detail).toContain(
      "iam:GetRole is not allowed through profile src, so whether role ops exists is not known: AccessDenied (HTTP 403)",
    );
  });
});

describe("[aws-rule iam-principal-must-exist] principals in the whole doctor", () => {
  let files: ReturnType<typeof sharedAwsFiles>;
  beforeAll(() => {
    files = sharedAwsFiles();
  });
  afterAll(() => files.remove());

  test("checked through a reached account; skipped for an account not reached, one not in the config, and the stack's own roles", async () => {
    // Both profiles reach 111111111111: the destination's row fails (the config says 222222222222).
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111111111111", Arn: "arn:aws:iam::111111111111:user/alice" });
    ec2
      .on(DescribeRegionsCommand)
      .resolves({ Regions: [{ RegionName: "us-east-1", OptInStatus: "opt-in-not-required" }] });
    s3.on(HeadBucketCommand).rejects(new NotFound({ $metadata: { httpStatusCode: 404 }, message: "UnknownError" }));
    iam.on(GetRoleCommand, { RoleName: "ops" }).resolves({
      Role: {
        RoleName: "ops",
        Path: "/",
        Arn: "arn:aws:iam::111111111111:role/ops",
        RoleId: "AROAEXAMPLE",
        CreateDate: new Date(),
      },
    });
    iam.on(GetUserCommand, { UserName: "gone" }).rejects(noSuchEntity("user", "gone"));
    const config = configOf({
      ...PROFILE_CONFIG,
      trustedPrincipals: [
        { arn: "arn:aws:iam::111111111111:role/ops" },
        { arn: "arn:aws:iam::111111111111:user/gone" },
        { arn: "arn:aws:iam::222222222222:role/ops" },
        { arn: "arn:aws:iam::333333333333:user/carol" },
        { arn: "arn:aws:iam::111111111111:role/cross-account-write-to-222222222222" },
      ],
    });
    const results = await runDoctor(config, {
      env: files.env,
      root: "/nowhere",
      probeRegistry: async () => true,
      findTerraform: async () => ({ binary: "terraform", version: "1.11.4", tofu: false }),
    });
    const rows = Object.fromEntries(
      results.filter((result) => result.group === "principals").map((result) => [result.subject, result]),
    );
    expect(Object.keys(rows)).toHaveLength(5);
    expect(rows["arn:aws:iam::111111111111:role/ops"].status).toBe("ok");
    expect(rows["arn:aws:iam::111111111111:user/gone"]).toMatchObject({
      status: "problem",
      fix: "create it in account 111111111111 first (aws iam create-user --user-name gone --profile src), or correct trustedPrincipals[1].arn",
    });
    expect(rows["arn:aws:iam::222222222222:role/ops"]).toMatchObject({
      status: "skipped",
      detail: "account 222222222222 is not reached (see its row)",
    });
    expect(rows["arn:aws:iam::333333333333:user/carol"]).toMatchObject({
      status: "skipped",
      detail: "account 333333333333 is not one the config reaches; AWS checks it at deploy",
    });
    expect(rows["arn:aws:iam::111111111111:role/cross-account-write-to-222222222222"]).toMatchObject({
      status: "skipped",
      detail: "the writer's execution role: the stack makes it, so it need not exist before the deploy",
    });
    // Only the reached account's two principals were read, each once.
    expect(iam.calls()).toHaveLength(2);
  });

  test("npm run plan and deploy's credential part checks them too: a missing user stops Terraform before it runs", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111111111111", Arn: "arn:aws:iam::111111111111:user/alice" });
    iam.on(GetUserCommand, { UserName: "gone" }).rejects(noSuchEntity("user", "gone"));
    const config = configOf({
      ...PROFILE_CONFIG,
      trustedPrincipals: [
        { arn: "arn:aws:iam::111111111111:user/gone" },
        { arn: "arn:aws:iam::111111111111:role/cross-account-write-to-222222222222" },
      ],
    });
    const results = await runDoctor(config, { env: files.env, root: "/nowhere", credentialsOnly: true });
    expect(results.map((result) => [result.group, result.subject, result.status])).toEqual([
      ["working folder", expect.any(String), "ok"],
      ["accounts", "account 111111111111 (source)", "ok"],
      ["principals", "arn:aws:iam::111111111111:user/gone", "problem"],
      ["accounts", "account 222222222222 (destination)", "problem"],
    ]);
    expect(ec2.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });
});
