import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { organizationWriterClient } from "../../functions/organization-writer/client";
import { accountAdmin } from "../../scripts/emulator/emulator-accounts";
import { Emulator } from "../../scripts/lib/emulator";
import { createEmulatorOrganization, EMULATOR_MANAGEMENT_ACCOUNT_ID } from "../../scripts/lib/emulator-organization";
import { DELETE_STACK_INSTANCES, deleteStackInstancesByAccount } from "../../scripts/lib/emulator-stack-sets";
import { FaultProxy } from "../../scripts/lib/fault-proxy";
import { cdktf, emulatorConfig, prepareCdktfProject } from "../../scripts/terraform/cdktf-project";
import { readDeployment } from "../../scripts/verify/deployment";
import { openVerifyContext, verifyDeployment } from "../../scripts/verify/verify";
import {
  type CrossAccountConfigInput,
  EXAMPLE_DESTINATION_ACCOUNT_ID,
  ORGANIZATION_WRITER_NAMES,
  resolveConfig,
} from "../../stacks/config";
import { describeWithTools } from "./tools";

const CENTRAL = EXAMPLE_DESTINATION_ACCOUNT_ID;
const REGION = "us-east-1";
const TABLE = ORGANIZATION_WRITER_NAMES.table;
const BUCKET = `organization-records-${CENTRAL}-${REGION}`;

describeWithTools("the organization writer on a local organization (moto_server)", () => {
  let emulator: Emulator;
  let translator: FaultProxy;
  let workDirectory: string;
  let members: string[];
  let outsider: string;
  let config: CrossAccountConfigInput;
  let stackDirectory: string;

  const client = <T>(Client: new (config: object) => T, credentials: object) =>
    new Client({ region: REGION, endpoint: emulator.endpoint, credentials, forcePathStyle: true });

  beforeAll(async () => {
    emulator = await Emulator.start();
    workDirectory = mkdtempSync(path.join(os.tmpdir(), "organization-writer-e2e-"));
    const organization = await createEmulatorOrganization(emulator.endpoint, 2, 1);
    members = [...organization.members];
    [outsider] = organization.outsiders;
    translator = await FaultProxy.start(emulator.endpoint);
    translator.rewrite(DELETE_STACK_INSTANCES, deleteStackInstancesByAccount(emulator.endpoint));
    config = emulatorConfig(translator.endpoint, {
      organizationId: organization.organizationId,
      organizationWriter: {
        // The central account is the destination's: the stack reaches it through the destination's provider.
        central: { accountId: CENTRAL, region: REGION },
        organization: { accountId: EMULATOR_MANAGEMENT_ACCOUNT_ID, region: REGION },
        organizationalUnitPaths: [`${organization.organizationId}/${organization.rootId}/${organization.unitId}`],
        memberTrust: { services: ["lambda.amazonaws.com"], roleNamePatterns: ["app-*"] },
      },
    });
    stackDirectory = prepareCdktfProject(workDirectory, config);
    await cdktf(workDirectory, "deploy");
  });

  afterAll(async () => {
    await translator?.stop();
    await emulator?.stop();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  test("the StackSet gives every member of the OU the member role, and the outsider none", async () => {
    for (const accountId of members) {
      const iam = client(IAMClient, await accountAdmin(emulator.endpoint, accountId));
      const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: ORGANIZATION_WRITER_NAMES.memberRole }));
      expect(role?.Arn).toBe(`arn:aws:iam::${accountId}:role/${ORGANIZATION_WRITER_NAMES.memberRole}`);
    }
    const outsiderIam = client(IAMClient, await accountAdmin(emulator.endpoint, outsider));
    await expect(
      outsiderIam.send(new GetRoleCommand({ RoleName: ORGANIZATION_WRITER_NAMES.memberRole })),
    ).rejects.toThrow(/not found/i);
  });

  const settings = {
    centralRoleArn: `arn:aws:iam::${CENTRAL}:role/${ORGANIZATION_WRITER_NAMES.centralRole}`,
    tableName: TABLE,
    bucketName: BUCKET,
    bucketPrefix: "records",
    region: REGION,
  };

  /** The client as a member's workload uses it: its account's credentials, through the member role. */
  const memberWriter = async (accountId: string, endpoint: string) => {
    const admin = await accountAdmin(emulator.endpoint, accountId);
    return organizationWriterClient(settings, {
      account: accountId,
      sessionName: "orders-api",
      memberRoleArn: `arn:aws:iam::${accountId}:role/${ORGANIZATION_WRITER_NAMES.memberRole}`,
      credentials: async () => admin,
      endpoint,
    });
  };

  test("each member writes through its member role and the central role; its records land in its partition, a replay changes nothing", async () => {
    for (const accountId of members) {
      const writer = await memberWriter(accountId, emulator.endpoint);
      const record = { id: `order-${accountId}`, timestamp: "2026-12-06T20:00:00Z", data: { from: accountId } };
      expect(await writer.write(record)).toMatchObject({ account: accountId, alreadyWritten: false });
      expect(await writer.write(record)).toMatchObject({ account: accountId, alreadyWritten: true });
    }
    const central = await accountAdmin(emulator.endpoint, CENTRAL);
    const { Items: items = [] } = await client(DynamoDBClient, central).send(new ScanCommand({ TableName: TABLE }));
    expect(items.map((item) => unmarshall(item)).sort((a, b) => a.account.localeCompare(b.account))).toEqual(
      [...members].sort().map((accountId) => ({
        account: accountId,
        id: `order-${accountId}`,
        timestamp: "2026-12-06T20:00:00Z",
        data: { from: accountId },
      })),
    );
    const { Contents: objects = [] } = await client(S3Client, central).send(
      new ListObjectsV2Command({ Bucket: BUCKET }),
    );
    expect(objects.map((object) => object.Key).sort()).toEqual(
      [...members].sort().map((accountId) => `records/${accountId}/order-${accountId}.json`),
    );
  });

  test("npm run verify's check: a member writes a probe through the chain, it is read back in its partition and removed", async () => {
    const context = await openVerifyContext(resolveConfig(config), await readDeployment(stackDirectory));
    const outcomes = await verifyDeployment(context, { patterns: ["organization-writer"] });
    const member = /\((\d{12})\)/.exec(outcomes[0]?.check ?? "")?.[1];
    expect(members).toContain(member);
    expect(outcomes.map((outcome) => `${outcome.status} ${outcome.check}`)).toEqual([
      `ok organization writer (${member}): a member writes a probe`,
      `ok organization writer (${member}): the probe is in the member's partition`,
      `ok organization writer (${member}): the probe is removed`,
    ]);
    const central = await accountAdmin(emulator.endpoint, CENTRAL);
    const { Items: items = [] } = await client(DynamoDBClient, central).send(new ScanCommand({ TableName: TABLE }));
    expect(items.map((item) => unmarshall(item).id).filter((id) => id.startsWith("verify-"))).toEqual([]);
  });

  // Last: it writes one more record of the first member.
  test("AccessDenied on the first AssumeRole calls (IAM settling after the StackSet reached a member) is retried, and the write goes through [aws-rule iam-eventual-consistency]", async () => {
    const [accountId] = members;
    const writer = await memberWriter(accountId, translator.endpoint);
    translator.reset();
    translator.inject({ operation: "STS.AssumeRole", fault: "access-denied", times: 3 });
    const record = { id: `settling-${accountId}`, timestamp: "2026-12-06T21:00:00Z", data: { from: accountId } };
    expect(await writer.write(record)).toMatchObject({ account: accountId, alreadyWritten: false });
    // The member role: three refusals and the session; then the central role at once.
    expect(translator.totalInjected()).toBe(3);
    expect(translator.count("STS.AssumeRole")).toBe(5);
  });
});
