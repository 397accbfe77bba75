import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { organizationWriterClient } from "../../functions/organization-writer/client";
import {
  type OrganizationWriterSettings,
  PARTITION_KEY,
  recordObjectKey,
  SORT_KEY,
} from "../../functions/organization-writer/environment";
import { unitIdOf } from "../../stacks/config";
import type { VerifyContext } from "./context";
import type { Credentials } from "./credentials";
import { stringOutput } from "./deployment";
import { firstActiveAccount } from "./organization-accounts";
import { attempt, type CheckResult, type Emit, emitted, failed, ok, skipped } from "./outcome";
import { PROBE_MARK, removeProbe } from "./writer-check";

const PATTERN = "organization writer";

const asProvider = (credentials: Credentials) =>
  typeof credentials === "function" ? credentials : async () => credentials;

/** A member account that writes the probe, and the credentials it starts from. */
interface ProbeMember {
  readonly accountId: string;
  readonly credentials: Credentials;
  /** The member role to assume first; absent when the credentials already are its session. */
  readonly memberRoleArn?: string;
}

/**
 * Who writes the probe. On the emulator: the first ACTIVE account of the first OU, from its deploy role (moto does
 * not hold the member role to its trust). On AWS: the caller, when it is a session of the member role (verify run
 * from a member's workload); otherwise no one, and why.
 */
async function probeMember(context: VerifyContext): Promise<ProbeMember | string> {
  const section = context.config.organizationWriter;
  if (!section) return "the config has no organizationWriter section";
  if (context.config.emulator) {
    const accountId = await firstActiveAccount(
      context,
      section.organization,
      unitIdOf(section.organizationalUnitPaths[0]),
    );
    if (!accountId) return `the OU of ${section.organizationalUnitPaths[0]} holds no ACTIVE account`;
    return {
      accountId,
      credentials: context.deployCredentials({ accountId, region: section.central.region }),
      memberRoleArn: `arn:aws:iam::${accountId}:role/${section.memberRoleName}`,
    };
  }
  const session = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(context.caller?.arn ?? "");
  if (context.caller && session?.[2] === section.memberRoleName)
    return { accountId: session[1], credentials: context.caller.credentials };
  return (
    `verify runs as ${context.caller?.arn ?? "no one"}, not a session of ${section.memberRoleName} in a member ` +
    "account: run it (or npm run org-write) from a workload of a member account"
  );
}

/**
 * The organization writer: a member writes a probe record through its chain (member role, then the central role
 * with its account tag), the probe is read back from the central table and bucket under that account's partition
 * with the central account's deploy credentials, and removed.
 */
export async function checkOrganizationWriter(context: VerifyContext, emit?: Emit): Promise<CheckResult[]> {
  const section = context.config.organizationWriter;
  if (!section) return [emitted(emit, skipped(PATTERN, "the config has no organizationWriter section"))];
  const member = await probeMember(context);
  if (typeof member === "string") return [emitted(emit, skipped(`${PATTERN}: a member writes a probe`, member))];
  const output = (name: string) => stringOutput(context.deployment, `organization-writer-${name}`, PATTERN);
  const settings: OrganizationWriterSettings = {
    centralRoleArn: output("central-role-arn"),
    tableName: output("table-name"),
    bucketName: output("bucket-name"),
    bucketPrefix: output("bucket-prefix"),
    region: output("region"),
  };
  const client = organizationWriterClient(settings, {
    account: member.accountId,
    sessionName: "cross-account-verify",
    credentials: asProvider(member.credentials),
    ...(member.memberRoleArn ? { memberRoleArn: member.memberRoleArn } : {}),
    ...(context.config.emulator ? { endpoint: context.config.emulator.endpoint } : {}),
  });
  const id = `verify-${context.now().getTime()}-${crypto.randomUUID().slice(0, 8)}`;
  const key = recordObjectKey(settings, member.accountId, id);
  const name = `${PATTERN} (${member.accountId})`;
  const written = emitted(
    emit,
    await attempt(`${name}: a member writes a probe`, async () => {
      const result = await client.write({ id, timestamp: context.now().toISOString(), data: { probe: PROBE_MARK } });
      return ok(`${name}: a member writes a probe`, `${result.objectUri} and item ${member.accountId} / ${id}`);
    }),
  );
  const central = context.clientSettings(section.central.region, context.deployCredentials(section.central));
  const dynamodb = new DynamoDBClient(central);
  const s3 = new S3Client(central);
  const itemKey = { [PARTITION_KEY]: { S: member.accountId }, [SORT_KEY]: { S: id } };
  const results = [written];
  if (written.status === "ok") {
    const partition = `${name}: the probe is in the member's partition`;
    results.push(
      emitted(
        emit,
        await attempt(partition, async () => {
          const { Item: item } = await dynamodb.send(
            new GetItemCommand({ TableName: settings.tableName, Key: itemKey, ConsistentRead: true }),
          );
          const body = await (await s3.send(new GetObjectCommand({ Bucket: settings.bucketName, Key: key }))).Body;
          const object = JSON.parse((await body?.transformToString()) ?? "{}") as Record<string, unknown>;
          if (!item) return failed(partition, `no item ${member.accountId} / ${id} in table ${settings.tableName}`);
          return object[PARTITION_KEY] === member.accountId && object[SORT_KEY] === id
            ? ok(partition, `item and s3://${settings.bucketName}/${key} read back in ${section.central.accountId}`)
            : failed(partition, `s3://${settings.bucketName}/${key} holds ${JSON.stringify(object).slice(0, 200)}`);
        }),
      ),
    );
  }
  const where = { table_name: settings.tableName, bucket_name: settings.bucketName };
  results.push(
    emitted(emit, await removeProbe(name, dynamodb, s3, where, itemKey, key, `table ${settings.tableName} and ${key}`)),
  );
  return results;
}
