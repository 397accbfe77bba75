import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { organizationWriterClient } from "../functions/organization-writer/client";
import { BadRecordError, parseRecord } from "../functions/organization-writer/record";

const USAGE = `Usage: npm run org-write -- --central-role-arn <arn> --table <name> --bucket <name> --region <region> (--record <json> | --file <path>) [options]

Writes one record into the organization writer's central account under your account's partition, with your AWS
credentials (the default chain): assumes the member role (--member-role-arn) if given, then the central role with
the account session tag. Values come from the stack's organization-writer-* outputs.

  --prefix <prefix>            object prefix (default: records)
  --member-role-arn <arn>      assume the member role first (when your credentials are a workload role)
  --session-name <name>        session name in CloudTrail (default: org-write-cli)`;

const { values } = parseArgs({
  options: Object.fromEntries(
    [
      "central-role-arn",
      "table",
      "bucket",
      "region",
      "record",
      "file",
      "prefix",
      "member-role-arn",
      "session-name",
    ].map((name) => [name, { type: "string" as const }]),
  ),
});

async function main(): Promise<void> {
  const required = ["central-role-arn", "table", "bucket", "region"].filter((name) => !values[name]);
  if (required.length > 0 || (values.record === undefined) === (values.file === undefined)) {
    console.error(
      `${required.map((name) => `--${name} is required`).join("\n") || "give --record or --file, one of them"}\n\n${USAGE}`,
    );
    process.exit(2);
  }
  const text = values.record ?? readFileSync(String(values.file), "utf8");
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    throw new BadRecordError("record", `is not JSON: ${(error as Error).message}`);
  }
  // Refused before any AWS call: the client checks it again before it writes.
  parseRecord(record);
  const region = String(values.region);
  const memberRoleArn = values["member-role-arn"];
  const account =
    memberRoleArn?.split(":")[4] ??
    String((await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account);
  const client = organizationWriterClient(
    {
      centralRoleArn: String(values["central-role-arn"]),
      tableName: String(values.table),
      bucketName: String(values.bucket),
      bucketPrefix: values.prefix ?? "records",
      region,
    },
    { account, sessionName: values["session-name"] ?? "org-write-cli", ...(memberRoleArn ? { memberRoleArn } : {}) },
  );
  console.log(JSON.stringify(await client.write(record)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exit(error instanceof BadRecordError ? 2 : 1);
});
