import {
  environmentBytes,
  readWriterSettings,
  WRITER_ENVIRONMENT,
  type WriterSettingsToEncode,
  writerEnvironment,
} from "../functions/writer/environment";

const SETTINGS: WriterSettingsToEncode = {
  destinations: [
    {
      name: "analytics",
      accountId: "222222222222",
      region: "us-east-1",
      roleArn: "arn:aws:iam::222222222222:role/writer",
      tableName: "wd-ddb-table",
      bucketName: "wd-records-a",
    },
    {
      name: "archive",
      accountId: "333333333333",
      region: "eu-west-1",
      roleArn: "arn:aws:iam::333333333333:role/writer",
      tableName: "wd-ddb-table",
      bucketName: "wd-records-b",
      externalId: "archive-only",
      bulkObjects: "per-batch",
    },
  ],
  bucketPrefix: "records",
  stsRegion: "us-east-1",
  roleSessionName: "cross-account-dynamodb-write",
  sessionDurationSeconds: 3600,
  externalId: "partner-7f3a",
};
const environment = writerEnvironment(SETTINGS);
// The writer reads each destination with the writer-wide bucketPrefix.
const READ = {
  ...SETTINGS,
  destinations: SETTINGS.destinations.map((destination) => ({ ...destination, bucketPrefix: "records" })),
};

describe("the writer's environment contract", () => {
  test("what the stack writes is what the writer reads", () => {
    expect(readWriterSettings(environment)).toEqual(READ);
    expect(readWriterSettings({ ...environment, [WRITER_ENVIRONMENT.externalId]: undefined })).toEqual({
      ...READ,
      externalId: undefined,
    });
  });

  test("a destination's bulk layout is written only where it is not the default per-record", () => {
    const written = writerEnvironment({
      ...SETTINGS,
      destinations: [{ ...SETTINGS.destinations[0], bulkObjects: "per-record" }, SETTINGS.destinations[1]],
    });
    expect(
      JSON.parse(written[WRITER_ENVIRONMENT.destinations]).map(
        (destination: { bulkObjects?: string }) => destination.bulkObjects,
      ),
    ).toEqual([undefined, "per-batch"]);
  });

  test("its size counts every name and value, as Lambda's 4 KB limit does [aws-rule lambda-environment-4kb]", () => {
    expect(environmentBytes({ AB: "cd", E: "€" })).toBe(2 + 2 + 1 + 3);
  });
});

describe("readWriterSettings fails", () => {
  const destinations = (value: unknown) => ({
    ...environment,
    [WRITER_ENVIRONMENT.destinations]: JSON.stringify(value),
  });
  test.each<[string, NodeJS.ProcessEnv, RegExp]>([
    [
      "when variables are missing, naming each",
      { [WRITER_ENVIRONMENT.destinations]: environment.DESTINATIONS },
      /missing environment variables BUCKET_PREFIX, STS_REGION, ROLE_SESSION_NAME, SESSION_DURATION_SECONDS; deploy it with the cdktf stack/,
    ],
    [
      "when DESTINATIONS is not JSON",
      { ...environment, [WRITER_ENVIRONMENT.destinations]: "analytics" },
      /^DESTINATIONS is not a non-empty JSON array; it must be a JSON array of \{ name, accountId, region, roleArn, tableName, bucketName \} with optional externalId and bulkObjects \(per-record or per-batch\), with unique names, got "analytics"$/,
    ],
    ["when DESTINATIONS is empty", destinations([]), /^DESTINATIONS is not a non-empty JSON array; /],
    [
      "when a destination's account id is malformed",
      destinations([{ ...SETTINGS.destinations[0], accountId: "2222" }]),
      /^DESTINATIONS\[0\]\.accountId is not a 12-digit account id: "2222"; /,
    ],
    [
      "when a destination lacks its role",
      destinations([{ ...SETTINGS.destinations[0], roleArn: "" }]),
      /^DESTINATIONS\[0\]\.roleArn is not a non-empty string; /,
    ],
    [
      "when a destination has an unknown field",
      destinations([{ ...SETTINGS.destinations[0], prefix: "x" }]),
      /^DESTINATIONS\[0\] has an unknown field "prefix"; /,
    ],
    [
      "when a destination's ExternalId is empty",
      destinations([{ ...SETTINGS.destinations[0], externalId: "" }]),
      /^DESTINATIONS\[0\]\.externalId is not a non-empty string; /,
    ],
    [
      "when a destination's bulk layout is unknown",
      destinations([SETTINGS.destinations[0], { ...SETTINGS.destinations[1], bulkObjects: "per-event" }]),
      /^DESTINATIONS\[1\]\.bulkObjects is not per-record or per-batch: "per-event"; /,
    ],
    [
      "when a destination is not an object",
      destinations([SETTINGS.destinations[0], "archive"]),
      /^DESTINATIONS\[1\] is not an object; /,
    ],
    [
      "when names repeat",
      destinations([SETTINGS.destinations[0], { ...SETTINGS.destinations[1], name: "analytics" }]),
      /^DESTINATIONS\[1\]\.name repeats the name of \[0\]: "analytics"; /,
    ],
    [
      "when the session is longer than role chaining allows",
      { ...environment, [WRITER_ENVIRONMENT.sessionDurationSeconds]: "7200" },
      /SESSION_DURATION_SECONDS must be a whole number of seconds from 900 to 3600 \(role chaining\), got "7200"/,
    ],
  ])("%s", (_name, env, expected) => {
    expect(() => readWriterSettings(env)).toThrow(expected);
  });
});
