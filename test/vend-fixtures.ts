import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { stsAssumeRole } from "../functions/vend/assume-role";
import type { VendSettings } from "../functions/vend/environment";
import type { FunctionUrlEvent } from "../functions/vend/request";
import { CredentialCache, type VendDeps, vendCredentials } from "../functions/vend/vend";

export const SOURCE_ACCOUNT = "111111111111";
/** The test clock's start; AssumeRole's first credentials expire 900 s later by default. */
export const START = Date.parse("2025-01-01T12:00:00.000Z");

/** Two destinations (one with its own table ARN, one with a nested bucket prefix) and three kinds of callers. */
export const VEND_SETTINGS: VendSettings = {
  destinations: [
    {
      name: "analytics",
      accountId: "222222222222",
      region: "us-east-1",
      roleArn: "arn:aws:iam::222222222222:role/vending",
      tableName: "wd-ddb-table",
      bucketName: "wd-records-a",
      bucketPrefix: "records",
    },
    {
      name: "archive",
      accountId: "333333333333",
      region: "eu-west-1",
      roleArn: "arn:aws:iam::333333333333:role/vending",
      tableName: "wd-ddb-table",
      tableArn: "arn:aws:dynamodb:eu-west-1:333333333333:table/wd-ddb-table",
      bucketName: "wd-records-b",
      bucketPrefix: "records/v1",
    },
  ],
  callers: [
    { arn: `arn:aws:iam::${SOURCE_ACCOUNT}:role/reporting`, destinations: ["analytics", "archive"], access: "read" },
    {
      arn: `arn:aws:iam::${SOURCE_ACCOUNT}:role/service-role/ingest`,
      destinations: ["analytics"],
      access: "read-write",
      prefix: "ingest/v2",
      maxDurationSeconds: 1800,
    },
    { arn: `arn:aws:iam::${SOURCE_ACCOUNT}:user/alice`, destinations: ["archive"], access: "write" },
  ],
  stsRegion: "us-east-1",
};

export const REPORTING_SESSION = `arn:aws:sts::${SOURCE_ACCOUNT}:assumed-role/reporting/dashboard`;
export const INGEST_SESSION = `arn:aws:sts::${SOURCE_ACCOUNT}:assumed-role/ingest/loader`;
export const ALICE = `arn:aws:iam::${SOURCE_ACCOUNT}:user/alice`;
export const STRANGER_SESSION = `arn:aws:sts::${SOURCE_ACCOUNT}:assumed-role/intruder/session`;

export interface EventOptions {
  readonly method?: string;
  readonly base64?: boolean;
}

/** A function URL event (payload 2.0) as Lambda passes it for a SigV4-signed request of `userArn`. */
export function urlEvent(userArn: string | undefined, body: unknown, options: EventOptions = {}): FunctionUrlEvent {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    body: options.base64 ? Buffer.from(text).toString("base64") : text,
    isBase64Encoded: options.base64 ?? false,
    requestContext: {
      http: { method: options.method ?? "POST" },
      ...(userArn === undefined
        ? {}
        : {
            authorizer: {
              iam: {
                userArn,
                accountId: userArn.split(":")[4],
                callerId: "AROAEXAMPLE:session",
                accessKey: "ASIAEXAMPLE",
              },
            },
          }),
    },
  };
}

/**
 * vendCredentials over a mocked STS client, with a test clock: AssumeRole answers numbered credentials (ASIA1,
 * ASIA2, ...) that live for the duration asked. Fresh mock, clock and cache before each test.
 */
export function vendHarness() {
  const sts = mockClient(STSClient);
  const harness = {
    sts,
    clock: START,
    deps: undefined as unknown as VendDeps,
    answerWithCredentials(): void {
      let issued = 0;
      sts.on(AssumeRoleCommand).callsFake((input: { DurationSeconds: number }) => {
        issued += 1;
        const Expiration = new Date(harness.clock + input.DurationSeconds * 1000);
        return {
          Credentials: {
            AccessKeyId: `ASIA${issued}`,
            SecretAccessKey: `s${issued}`,
            SessionToken: `t${issued}`,
            Expiration,
          },
        };
      });
    },
    vend: (userArn: string | undefined, body: unknown) => vendCredentials(urlEvent(userArn, body), harness.deps),
    assumeRoleCalls: () => sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input),
    keyOf: (response: { body: string }) => JSON.parse(response.body).AccessKeyId as string,
    errorOf: (response: { body: string }) => JSON.parse(response.body).error as string,
  };
  beforeEach(() => {
    sts.reset();
    harness.clock = START;
    harness.answerWithCredentials();
    const assumeRole = stsAssumeRole(new STSClient({ region: "us-east-1" }));
    harness.deps = {
      settings: VEND_SETTINGS,
      assumeRole,
      now: () => new Date(harness.clock),
      cache: new CredentialCache(),
    };
  });
  return harness;
}
