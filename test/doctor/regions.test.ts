import { DescribeRegionsCommand, EC2Client, EC2ServiceException } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import type { AccountTarget } from "../../scripts/doctor/reach";
import { checkRegion } from "../../scripts/doctor/regions";

const ec2 = mockClient(EC2Client);
beforeEach(() => ec2.reset());
const TARGET: AccountTarget = {
  labels: ["destination"],
  accountId: "222222222222",
  region: "ap-east-1",
  profile: "dest",
};
const check = () => checkRegion(TARGET, "ap-east-1", { kind: "profile", profile: "dest" }, {});
const answer = (OptInStatus: string) =>
  ec2
    .on(DescribeRegionsCommand)
    .resolves({ Regions: [{ RegionName: "ap-east-1", Endpoint: "ec2.ap-east-1.amazonaws.com", OptInStatus }] });

describe("a region of an account", () => {
  test.each(["opt-in-not-required", "opted-in"])("%s is enabled", async (status) => {
    answer(status);
    expect(await check()).toEqual({
      group: "regions",
      subject: "region ap-east-1 in 222222222222",
      status: "ok",
      detail: `enabled (${status})`,
    });
    expect(ec2.commandCalls(DescribeRegionsCommand)[0].args[0].input).toEqual({
      AllRegions: true,
      RegionNames: ["ap-east-1"],
    });
  });

  test("an opt-in region not enabled names `aws account enable-region` with the account's profile", async () => {
    answer("not-opted-in");
    const result = await check();
    expect(result).toMatchObject({
      status: "problem",
      fix: "aws account enable-region --region-name ap-east-1 --profile dest",
    });
    expect(result.detail).toContain("ap-east-1 is not enabled for account 222222222222 (not-opted-in)");
  });

  test("reached through a role, the fix names the role to run it as, not the profile that signs in elsewhere", async () => {
    answer("not-opted-in");
    const roleArn = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole";
    const result = await checkRegion(TARGET, "ap-east-1", { kind: "role", roleArn, profile: "hub" }, {});
    expect(result.fix).toBe(
      `aws account enable-region --region-name ap-east-1   (as ${roleArn}: a profile with role_arn = ${roleArn} and source_profile = hub)`,
    );
  });

  test("a region missing from the answer is a problem too", async () => {
    ec2.on(DescribeRegionsCommand).resolves({ Regions: [] });
    expect((await check()).detail).toContain("(not listed)");
  });

  test("without ec2:DescribeRegions the row is skipped and says why", async () => {
    ec2.on(DescribeRegionsCommand).rejects(
      new EC2ServiceException({
        name: "UnauthorizedOperation",
        $fault: "client",
        $metadata: { httpStatusCode: 403 },
        message: "You are not authorized to perform this operation.",
      }),
    );
    const result = await check();
    expect(result.status).toBe("skipped");
    expect(result.detail).toContain(
      "ec2:DescribeRegions is not allowed, so whether ap-east-1 is enabled is not known: UnauthorizedOperation (HTTP 403)",
    );
  });
});
