import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CredentialsProviderError } from "@smithy/core/config";
import { mockClient } from "aws-sdk-client-mock";
import { checkAccount } from "../../scripts/doctor/accounts";
import { type AccountTarget, reachPathOf } from "../../scripts/doctor/reach";
import { connectionRefused, sharedAwsFiles, ssoTokenMissing, stsError } from "./doctor-fixtures";

const sts = mockClient(STSClient);
let files: ReturnType<typeof sharedAwsFiles>;
beforeAll(() => {
  files = sharedAwsFiles();
});
afterAll(() => files.remove());
beforeEach(() => sts.reset());

const SOURCE: AccountTarget = { labels: ["source"], accountId: "111111111111", region: "us-east-1", profile: "src" };
const check = (target: AccountTarget, emulator?: { endpoint: string }) =>
  checkAccount(target, reachPathOf(target, emulator), files.env);
const identity = (account: string, arn: string) => ({ Account: account, Arn: arn, UserId: "AIDAEXAMPLE" });

describe("an account through its provider's path", () => {
  test("a profile that reaches the configured account is ok and says whom it reached", async () => {
    sts.on(GetCallerIdentityCommand).resolves(identity("111111111111", "arn:aws:iam::111111111111:user/alice"));
    expect(await check(SOURCE)).toEqual({
      group: "accounts",
      subject: "account 111111111111 (source)",
      status: "ok",
      detail: "profile src reaches arn:aws:iam::111111111111:user/alice",
    });
  });

  test("a missing profile is named with `aws configure --profile`, before any call", async () => {
    const result = await check({ ...SOURCE, profile: "nowhere" });
    expect(result).toMatchObject({ status: "problem", fix: "aws configure --profile nowhere" });
    expect(result.detail).toContain(
      `profile nowhere, which is not in the AWS config or credentials file (${files.env.AWS_CONFIG_FILE}`,
    );
    expect(sts.calls()).toHaveLength(0);
  });

  test("AWS_PROFILE naming a missing profile is named for the default chain", async () => {
    const target = { labels: ["source"], accountId: "111111111111", region: "us-east-1" };
    const result = await checkAccount(target, reachPathOf(target), { ...files.env, AWS_PROFILE: "gone" });
    expect(result).toMatchObject({ status: "problem", fix: "aws configure --profile gone" });
    expect(result.detail).toMatch(/^AWS_PROFILE names profile gone, which is not in the AWS config/);
  });

  test("an SSO profile without a login names `aws sso login --profile`", async () => {
    sts.on(GetCallerIdentityCommand).rejects(ssoTokenMissing("sso-dest"));
    const result = await check({
      labels: ["destination"],
      accountId: "222222222222",
      region: "eu-west-1",
      profile: "sso-dest",
    });
    expect(result).toMatchObject({ status: "problem", fix: "aws sso login --profile sso-dest" });
    expect(result.detail).toContain("the SSO sign-in of profile sso-dest is missing or expired");
  });

  test("an expired SSO token names `aws sso login --profile`", async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(
        new CredentialsProviderError(
          "Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
          { tryNextLink: false },
        ),
      );
    const result = await check({
      labels: ["destination"],
      accountId: "222222222222",
      region: "eu-west-1",
      profile: "sso-dest",
    });
    expect(result).toMatchObject({ status: "problem", fix: "aws sso login --profile sso-dest" });
  });

  test("a wrong account names both ids and the profile to fix", async () => {
    sts.on(GetCallerIdentityCommand).resolves(identity("999999999999", "arn:aws:iam::999999999999:user/alice"));
    const result = await check(SOURCE);
    expect(result.status).toBe("problem");
    expect(result.detail).toBe(
      "profile src reaches account 999999999999 (arn:aws:iam::999999999999:user/alice), but the config says 111111111111",
    );
    expect(result.fix).toContain("aws configure --profile src");
    expect(result.fix).toContain("source.profile to a profile of account 111111111111");
  });

  test("expired session credentials of a key profile name `aws configure --profile`", async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(stsError("ExpiredToken", 403, "The security token included in the request is expired"));
    const result = await check(SOURCE);
    expect(result).toMatchObject({ status: "problem", fix: "aws configure --profile src" });
    expect(result.detail).toBe(
      "the credentials of profile src have expired: ExpiredToken (HTTP 403): The security token included in the request is expired",
    );
  });

  test("an access key AWS does not know is named as not valid", async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(stsError("InvalidClientTokenId", 403, "The security token included in the request is invalid."));
    const result = await check(SOURCE);
    expect(result).toMatchObject({ status: "problem", fix: "aws configure --profile src" });
    expect(result.detail).toContain("the access key of profile src is not valid");
  });

  test("a deploy role that refuses the caller names the role and what to allow", async () => {
    const roleArn = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole";
    const message = `User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
    sts.on(AssumeRoleCommand).rejects(stsError("AccessDenied", 403, message));
    sts.on(GetCallerIdentityCommand).rejects(stsError("AccessDenied", 403, message));
    const result = await check({
      labels: ["destination"],
      accountId: "222222222222",
      region: "us-east-1",
      profile: "src",
      roleArn,
    });
    expect(result.status).toBe("problem");
    expect(result.detail).toContain(
      `role ${roleArn} assumed with profile src: the role cannot be assumed: AccessDenied (HTTP 403)`,
    );
    expect(result.fix).toBe(
      `allow sts:AssumeRole on ${roleArn} for your identity (the role's trust policy and your identity policy)`,
    );
  });

  test("no credentials in the default chain says where to put them", async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(new CredentialsProviderError("Could not load credentials from any providers", { tryNextLink: false }));
    const result = await check({ labels: ["source"], accountId: "111111111111", region: "us-east-1" });
    expect(result.detail).toBe(
      "no credentials through the default credential chain: Could not load credentials from any providers",
    );
    expect(result.fix).toContain("aws configure (or export AWS_PROFILE=<a profile of account 111111111111>");
  });

  test("an emulator that does not answer names the command that starts it", async () => {
    sts.on(GetCallerIdentityCommand).rejects(connectionRefused("http://127.0.0.1:5999"));
    const result = await check(
      { labels: ["source"], accountId: "111111111111", region: "us-east-1" },
      { endpoint: "http://127.0.0.1:5999" },
    );
    expect(result).toMatchObject({ status: "problem", fix: "moto_server -p 5999" });
    expect(result.detail).toContain(
      "STS cannot be reached through emulator http://127.0.0.1:5999, role arn:aws:iam::111111111111:role/OrganizationAccountAccessRole",
    );
  });
});
