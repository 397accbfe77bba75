import type { VendSettings } from "../functions/vend/environment";
import type { FunctionUrlEvent } from "../functions/vend/request";

export const SOURCE_ACCOUNT = "111111111111";

/** Two destinations (one with its own table ARN, one with a nested bucket prefix) and three kinds of callers. */
export const VEND_SETTINGS: VendSettings = {
  destinations: [
    {
      name: "analytics", accountId: "222222222222", region: "us-east-1", roleArn: "arn:aws:iam::222222222222:role/vending",
      tableName: "wd-ddb-table", bucketName: "wd-records-a", bucketPrefix: "records",
    },
    {
      name: "archive", accountId: "333333333333", region: "eu-west-1", roleArn: "arn:aws:iam::333333333333:role/vending",
      tableName: "wd-ddb-table", tableArn: "arn:aws:dynamodb:eu-west-1:333333333333:table/wd-ddb-table",
      bucketName: "wd-records-b", bucketPrefix: "records/v1",
    },
  ],
  callers: [
    { arn: `arn:aws:iam::${SOURCE_ACCOUNT}:role/reporting`, destinations: ["analytics", "archive"], access: "read" },
    {
      arn: `arn:aws:iam::${SOURCE_ACCOUNT}:role/service-role/ingest`, destinations: ["analytics"], access: "read-write",
      prefix: "ingest/v2", maxDurationSeconds: 1800,
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
      ...(userArn === undefined ? {} : {
        authorizer: { iam: { userArn, accountId: userArn.split(":")[4], callerId: "AROAEXAMPLE:session", accessKey: "ASIAEXAMPLE" } },
      }),
    },
  };
}
