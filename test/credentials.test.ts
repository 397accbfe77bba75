import { AssumeRoleCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import { mockClient } from "aws-sdk-client-mock";
import { destinationRoleCredentials } from "../functions/writer/credentials";

const sts = mockClient(STSClient);
const WRITER = {
  stsRegion: "us-east-1",
  roleSessionName: "cross-account-dynamodb-write",
  sessionDurationSeconds: 900,
  externalId: "partner-7f3a",
};
const ROLE_ARN = "arn:aws:iam::333333333333:role/assume-role-via-111111111111-archive";

beforeEach(() => {
  sts.reset();
  sts.on(AssumeRoleCommand).callsFake(() => ({
    Credentials: {
      AccessKeyId: "ASIAEXAMPLE",
      SecretAccessKey: "secret",
      SessionToken: "token",
      Expiration: new Date(Date.now() + 900_000),
    },
  }));
});

describe("destinationRoleCredentials", () => {
  test("assumes the destination's role with the writer's session name and duration, sending its own ExternalId", async () => {
    const credentials = await destinationRoleCredentials({ roleArn: ROLE_ARN, externalId: "archive-only" }, WRITER)();
    expect(credentials.accessKeyId).toBe("ASIAEXAMPLE");
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      {
        RoleArn: ROLE_ARN,
        RoleSessionName: "cross-account-dynamodb-write",
        DurationSeconds: 900,
        ExternalId: "archive-only",
      },
    ]);
  });

  test("sends the writer-wide ExternalId for a destination without its own, and none when there is none", async () => {
    await destinationRoleCredentials({ roleArn: ROLE_ARN }, WRITER)();
    await destinationRoleCredentials({ roleArn: ROLE_ARN }, { ...WRITER, externalId: undefined })();
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.ExternalId)).toEqual([
      "partner-7f3a",
      undefined,
    ]);
  });

  test("assumes once for many calls while the session is fresh", async () => {
    const provider = destinationRoleCredentials({ roleArn: ROLE_ARN }, WRITER);
    await Promise.all(Array.from({ length: 50 }, () => provider()));
    await provider();
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });
});
