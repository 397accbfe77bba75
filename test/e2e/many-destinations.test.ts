import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { invokeDeployedWriter, resultOf } from "../../scripts/emulator/bundle-runner";
import { accountAdmin, EmulatorAccount, identityOfPrinted } from "../../scripts/emulator/emulator-accounts";
import { Emulator } from "../../scripts/lib/emulator";
import { FaultProxy } from "../../scripts/lib/fault-proxy";
import {
  type DestinationOutput,
  emulatorConfig,
  runAssume,
  synthesizeInto,
  writeConfigFile,
} from "../../scripts/terraform/cdktf-project";
import { Terraform } from "../../scripts/terraform/terraform";
import { THREE_DESTINATIONS } from "../synth";
import { describeWithTools } from "./tools";

// analytics (222222222222, us-east-1), analytics-eu (222222222222, eu-west-1, read-write), archive (333333333333, us-east-1).
const NAMES = ["analytics", "analytics-eu", "archive"] as const;
type Name = (typeof NAMES)[number];
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const record = (n: number) => ({
  timestamp: `2024-05-01T12:00:${String(n).padStart(2, "0")}.000Z`,
  uuid: uuid(n),
  data: { n },
});

describeWithTools(
  "many destinations on the emulator: two destination accounts, one of them in two regions, one plan",
  () => {
    let emulator: Emulator;
    let proxy: FaultProxy;
    let workDirectory: string;
    let stackDirectory: string;
    let terraform: Terraform;
    let source: EmulatorAccount;
    let destinations: Record<string, DestinationOutput>;
    let accounts: Record<Name, EmulatorAccount>;
    let outputs: Record<string, string>;

    /** The uuids each destination holds: as items, as objects of their own, and in each JSON Lines batch object. */
    const held = async (name: Name) => {
      const { table_name: table, bucket_name: bucket } = destinations[name];
      const items = (await accounts[name].items(table)).map((item) => item.uuid as string).sort();
      const versions = await accounts[name].objectVersions(bucket, "records/");
      const objects = versions
        .filter(({ key }) => !key.startsWith("records/batches/"))
        .map(({ key }) => key.replace(/^records\/|\.json$/g, ""))
        .sort();
      const batches = await Promise.all(
        versions
          .filter(({ key }) => key.startsWith("records/batches/"))
          .map(async ({ key }) =>
            (await accounts[name].objectText(bucket, key))
              .trimEnd()
              .split("\n")
              .map((line) => (JSON.parse(line) as { uuid: string }).uuid),
          ),
      );
      return { items, objects, batches: batches.sort((a, b) => b.length - a.length) };
    };

    beforeAll(async () => {
      emulator = await Emulator.start();
      proxy = await FaultProxy.start(emulator.endpoint);
      workDirectory = mkdtempSync(path.join(os.tmpdir(), "cross-account-many-"));
      stackDirectory = await synthesizeInto(
        workDirectory,
        emulatorConfig(emulator.endpoint, { ...THREE_DESTINATIONS, destination: undefined }),
      );
      terraform = new Terraform(stackDirectory);
      await terraform.init();
      await terraform.applyWriterPath();
      [outputs, destinations] = await Promise.all([terraform.outputs(), terraform.destinations()]);
      source = await EmulatorAccount.open(emulator.endpoint, "111111111111");
      const [analytics, analyticsEu, archive] = await Promise.all([
        EmulatorAccount.open(emulator.endpoint, "222222222222", "us-east-1"),
        EmulatorAccount.open(emulator.endpoint, "222222222222", "eu-west-1"),
        EmulatorAccount.open(emulator.endpoint, "333333333333", "us-east-1"),
      ]);
      accounts = { analytics, "analytics-eu": analyticsEu, archive };
    });

    afterAll(async () => {
      await proxy?.stop();
      await emulator?.stop();
      if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
    });

    test("one apply made each destination's role, table and bucket in its own account and region", async () => {
      expect(Object.keys(destinations)).toEqual([...NAMES]);
      expect(destinations.archive).toEqual({
        account_id: "333333333333",
        region: "us-east-1",
        access: "write",
        role_arn: "arn:aws:iam::333333333333:role/assume-role-via-111111111111-archive",
        table_name: "wd-ddb-table",
        bucket_name: "wd-records-archive-333333333333-us-east-1",
        bulk_objects: "per-batch",
      });
      expect(destinations["analytics-eu"]).toEqual(
        expect.objectContaining({ account_id: "222222222222", region: "eu-west-1", access: "read-write" }),
      );
      expect((await accounts.analytics.inventory()).roles).toEqual([
        "assume-role-via-111111111111-analytics",
        "assume-role-via-111111111111-analytics-eu",
      ]);
      expect((await accounts.archive.inventory()).roles).toEqual(["assume-role-via-111111111111-archive"]);
      // The two tables of account 222222222222 have one name, one per region.
      expect((await accounts.analytics.inventory()).tables).toEqual(["wd-ddb-table"]);
      expect((await accounts["analytics-eu"].inventory()).tables).toEqual(["wd-ddb-table"]);
      expect((await source.inventory()).roles).toEqual(["cross-account-writer"]);
    });

    test('records land only in the destination they were sent to; "*" lands in all; one AssumeRole per destination', async () => {
      proxy.reset();
      const answers = (
        await invokeDeployedWriter(
          source,
          stackDirectory,
          outputs,
          [
            { ...record(1), destination: "analytics" },
            { ...record(2), destination: "analytics-eu" },
            { ...record(3), destination: "archive" },
            { ...record(4), destination: "*" },
            { destination: "archive", records: [record(5), record(6)] },
            { ...record(1), destination: "analytics" },
          ],
          { endpoint: proxy.endpoint },
        )
      ).map(resultOf);

      expect(answers.map(({ statusCode }) => statusCode)).toEqual([201, 201, 201, 201, 200, 200]);
      expect(answers[0].body).toEqual(
        expect.objectContaining({ destination: "analytics", uuid: uuid(1), alreadyWritten: false }),
      );
      expect(
        answers[3].body.results.map((result: { destination: string; uuid: string }) => [
          result.destination,
          result.uuid,
        ]),
      ).toEqual(NAMES.map((name) => [name, uuid(4)]));
      expect(answers[4].body).toEqual(
        expect.objectContaining({ destination: "archive", written: 2, alreadyPresent: 0, failed: [] }),
      );
      expect(answers[5].body).toEqual(expect.objectContaining({ destination: "analytics", alreadyWritten: true }));

      expect(answers[4].body.batchObjects).toEqual([
        expect.stringMatching(
          /^s3:\/\/wd-records-archive-333333333333-us-east-1\/records\/batches\/[0-9a-f]{64}\.jsonl$/,
        ),
      ]);
      expect({
        analytics: await held("analytics"),
        "analytics-eu": await held("analytics-eu"),
        archive: await held("archive"),
      }).toEqual({
        analytics: { items: [uuid(1), uuid(4)], objects: [uuid(1), uuid(4)], batches: [] },
        "analytics-eu": { items: [uuid(2), uuid(4)], objects: [uuid(2), uuid(4)], batches: [] },
        // archive writes bulk events per-batch: records 5 and 6 are one JSON Lines object.
        archive: {
          items: [uuid(3), uuid(4), uuid(5), uuid(6)],
          objects: [uuid(3), uuid(4)],
          batches: [[uuid(5), uuid(6)]],
        },
      });
      // Counted at the proxy between the bundle and the emulator: each destination's role was assumed once.
      expect(proxy.count("STS.AssumeRole")).toBe(3);
    });

    // Splitting into objects of 1,000 is proven by the unit tests and the reliability test (2,000 records, 2 objects).
    test("a bulk event to all: one object per record where bulkObjects is per-record, one JSON Lines object in archive; its replay adds nothing", async () => {
      const bulk = Array.from({ length: 50 }, (_, index) => ({
        timestamp: `2024-05-02T00:00:00.000Z`,
        uuid: uuid(100_000 + index),
        data: { index },
      }));
      const before = {
        analytics: await held("analytics"),
        "analytics-eu": await held("analytics-eu"),
        archive: await held("archive"),
      };
      const answers: Array<
        Array<{
          destination: string;
          written: number;
          alreadyPresent: number;
          failed: unknown[];
          batchObjects?: string[];
        }>
      > = [];
      for (const attempt of [1, 2]) {
        const [answer] = (
          await invokeDeployedWriter(source, stackDirectory, outputs, [{ destination: "*", records: bulk }])
        ).map(resultOf);
        expect({ attempt, statusCode: answer.statusCode }).toEqual({ attempt, statusCode: 200 });
        answers.push(answer.body.results);
      }
      expect(
        answers[0].map(({ destination, written, alreadyPresent, failed }) => ({
          destination,
          written,
          alreadyPresent,
          failed,
        })),
      ).toEqual(NAMES.map((destination) => ({ destination, written: 50, alreadyPresent: 0, failed: [] })));
      expect(
        answers[1].map(({ destination, written, alreadyPresent }) => ({ destination, written, alreadyPresent })),
      ).toEqual(NAMES.map((destination) => ({ destination, written: 0, alreadyPresent: 50 })));
      expect(answers[0][2].batchObjects).toHaveLength(1);
      expect(answers[1][2].batchObjects).toEqual(answers[0][2].batchObjects);
      expect(answers[0][0].batchObjects).toBeUndefined();

      const uuids = bulk.map((entry) => entry.uuid);
      for (const name of ["analytics", "analytics-eu"] as const) {
        const perRecord = await held(name);
        expect({ name, items: perRecord.items, objects: perRecord.objects, batches: perRecord.batches }).toEqual({
          name,
          items: [...before[name].items, ...uuids].sort(),
          objects: [...before[name].objects, ...uuids].sort(),
          batches: [],
        });
      }
      const archive = await held("archive");
      expect(archive.items).toEqual([...before.archive.items, ...uuids].sort());
      expect(archive.objects).toEqual(before.archive.objects);
      // One new batch object holding each record once, in the event's order; the replay put none.
      expect(archive.batches).toEqual([uuids, ...before.archive.batches]);
    });

    test("an event without a destination, or naming an unknown one, is refused with the names and writes nothing", async () => {
      const before = await Promise.all(NAMES.map(held));
      const answers = (
        await invokeDeployedWriter(source, stackDirectory, outputs, [
          record(7),
          { ...record(8), destination: "analytics-us" },
        ])
      ).map(resultOf);
      expect(answers.map(({ statusCode }) => statusCode)).toEqual([400, 400]);
      expect(answers[0].body.problems).toEqual([
        `destination is required with 3 destinations: one of "analytics", "analytics-eu", "archive" or "*" (all)`,
      ]);
      expect(answers[1].body.problems).toEqual([
        `destination must be one of "analytics", "analytics-eu", "archive" or "*" (all), got "analytics-us"`,
      ]);
      expect(await Promise.all(NAMES.map(held))).toEqual(before);
    });

    test("`npm run assume -- archive` prints credentials that act in the archive account; a shared account is refused as ambiguous", async () => {
      const printed = await runAssume(workDirectory, source.credentials, [
        "archive",
        "--format",
        "json",
        "--duration",
        "900",
      ]);
      expect(printed.stderr).toBe("");
      const credentials = JSON.parse(printed.stdout);
      expect(credentials.RoleArn).toBe(destinations.archive.role_arn);
      expect(await identityOfPrinted(emulator.endpoint, printed.stdout)).toMatch(
        /^arn:aws:sts::333333333333:assumed-role\/assume-role-via-111111111111-archive\/operator-/,
      );
      expect((await runAssume(workDirectory, source.credentials, ["analytics-eu"])).stdout).toContain(
        "export AWS_REGION=eu-west-1\n",
      );
      const ambiguous = await runAssume(workDirectory, source.credentials, ["222222222222"]);
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toContain(
        `unknown destination "222222222222"; allowed: "analytics" or "analytics-eu" or "archive" or "333333333333"`,
      );
    });

    test("`npm run assume` explains a denied assume and expired credentials as AWS answers them", async () => {
      // The operator's STS calls go through a proxy that answers as IAM does after a trust change, and that refuses
      // sessions it issued once they are a second old.
      const expiring = await FaultProxy.start(emulator.endpoint, { sessionSeconds: 1 });
      try {
        const operatorDirectory = path.join(workDirectory, "operator");
        writeConfigFile(
          operatorDirectory,
          emulatorConfig(expiring.endpoint, { ...THREE_DESTINATIONS, destination: undefined }),
        );
        expiring.inject({ operation: "STS.AssumeRole", fault: "access-denied", times: 1 });
        const denied = await runAssume(operatorDirectory, source.credentials, ["archive"]);
        expect(denied.code).toBe(1);
        expect(denied.stdout).toBe("");
        expect(denied.stderr).toContain(
          `you may not assume ${destinations.archive.role_arn}: check that your identity policy allows sts:AssumeRole on it, and that the role's trust names you`,
        );
        expect(denied.stderr).toContain("AWS said: User is not authorized to perform: sts:AssumeRole");

        const shortLived = await accountAdmin(expiring.endpoint, "111111111111");
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const expired = await runAssume(operatorDirectory, shortLived, ["archive"]);
        expect(expired.code).toBe(1);
        expect(expired.stdout).toBe("");
        expect(expired.stderr).toContain(
          "your AWS credentials have expired: log in again (e.g. aws sso login) and retry. AWS said: The security token included in the request is expired",
        );
        expect(expiring.expiredRejections).toBe(1);
      } finally {
        await expiring.stop();
      }
    });

    test("destroy removes every destination's resources from every account and region", async () => {
      await terraform.destroy();
      for (const account of [source, ...Object.values(accounts)]) {
        expect({ account: account.accountId, region: account.region, ...(await account.inventory()) }).toEqual({
          account: account.accountId,
          region: account.region,
          roles: [],
          tables: [],
          buckets: [],
          functions: [],
          logGroups: [],
        });
      }
    });
  },
);
