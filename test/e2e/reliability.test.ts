import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type InvocationOutcome, invokeDeployedWriter } from "../../scripts/emulator/bundle-runner";
import { EmulatorAccount } from "../../scripts/emulator/emulator-accounts";
import { Emulator } from "../../scripts/lib/emulator";
import { FaultProxy } from "../../scripts/lib/fault-proxy";
import { emulatorConfig, synthesizeInto } from "../../scripts/terraform/cdktf-project";
import { Terraform } from "../../scripts/terraform/terraform";
import { EXAMPLE_DESTINATION_ACCOUNT_ID, EXAMPLE_SOURCE_ACCOUNT_ID } from "../../stacks/config";
import { MALFORMED_EVENTS } from "../malformed-events";
import { describeWithTools } from "./tools";

const TABLE = "wd-ddb-table";
const BUCKET = "wd-records-222222222222-us-east-1";

/** Events with their own identity, so each can be found again exactly once. */
function records(count: number, batch: string) {
  return Array.from({ length: count }, (_, index) => ({
    timestamp: new Date(Date.UTC(2024, 4, 1, 0, 0, index)).toISOString(),
    uuid: randomUUID(),
    data: { batch, index },
  }));
}

function failures(outcomes: InvocationOutcome[]): string[] {
  return outcomes.flatMap((outcome) => ("error" in outcome ? [`${outcome.error.name}: ${outcome.error.message}`] : []));
}

describeWithTools(
  "the writer under bad input, faults, short sessions and load (moto_server behind a fault proxy)",
  () => {
    let emulator: Emulator;
    let proxy: FaultProxy;
    let workDirectory: string;
    let stackDirectory: string;
    let terraform: Terraform;
    let outputs: Record<string, string>;
    let source: EmulatorAccount;
    let destination: EmulatorAccount;

    const invoke = (events: readonly unknown[], concurrency = 1) =>
      invokeDeployedWriter(source, stackDirectory, outputs, events, { endpoint: proxy.endpoint, concurrency });

    /** uuid -> how many items and object versions the destination holds for it. */
    async function stored(uuids: readonly string[]): Promise<Map<string, { items: number; objects: number }>> {
      const [items, versions] = await Promise.all([
        destination.items(TABLE),
        destination.objectVersions(BUCKET, "records/"),
      ]);
      const counts = new Map(uuids.map((uuid) => [uuid, { items: 0, objects: 0 }]));
      for (const item of items) {
        const count = counts.get(String(item.uuid));
        if (count) count.items += 1;
      }
      for (const version of versions) {
        const count = counts.get(version.key.replace(/^records\/|\.json$/g, ""));
        if (count) count.objects += 1;
      }
      return counts;
    }

    async function expectExactlyOnce(uuids: readonly string[]): Promise<void> {
      const counts = await stored(uuids);
      const wrong = [...counts].filter(([, count]) => count.items !== 1 || count.objects !== 1);
      expect(wrong).toEqual([]);
    }

    beforeAll(async () => {
      emulator = await Emulator.start();
      workDirectory = mkdtempSync(path.join(os.tmpdir(), "cross-account-reliability-"));
      stackDirectory = await synthesizeInto(
        workDirectory,
        emulatorConfig(emulator.endpoint, { writerSessionDurationSeconds: 900 }),
      );
      terraform = new Terraform(stackDirectory);
      await terraform.init();
      await terraform.applyWriterPath();
      outputs = await terraform.outputs();
      [source, destination] = await Promise.all([
        EmulatorAccount.open(emulator.endpoint, EXAMPLE_SOURCE_ACCOUNT_ID),
        EmulatorAccount.open(emulator.endpoint, EXAMPLE_DESTINATION_ACCOUNT_ID),
      ]);
      proxy = await FaultProxy.start(emulator.endpoint);
    });

    beforeEach(() => proxy?.reset());

    afterAll(async () => {
      await proxy?.stop();
      await emulator?.stop();
      if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
    });

    test(`${MALFORMED_EVENTS.length} malformed events are each refused with the field named, and none writes anything`, async () => {
      const outcomes = await invoke(MALFORMED_EVENTS.map(([, event]) => event));
      expect(failures(outcomes)).toEqual([]);
      outcomes.forEach((outcome, index) => {
        const [name, , expected] = MALFORMED_EVENTS[index];
        if ("error" in outcome) throw new Error(name);
        expect({ name, statusCode: outcome.result.statusCode }).toEqual({ name, statusCode: 400 });
        expect(JSON.parse(outcome.result.body).problems.join("\n")).toMatch(expected);
      });
      expect(proxy.count("DynamoDB.PutItem") + proxy.count("S3.PutObject")).toBe(0);
      expect(await destination.items(TABLE)).toEqual([]);
      expect(await destination.objectVersions(BUCKET, "")).toEqual([]);
    });

    test("throttling, 500/503, connection resets before and after AWS acted, and slow answers: every record exactly once", async () => {
      // At most 3 faults per request and its retries (of 6 attempts), however the 4 concurrent invocations interleave.
      proxy
        .limitFaultsPerTarget(3)
        .inject(
          { operation: "DynamoDB.PutItem", fault: "throttling", times: 2 },
          { operation: "DynamoDB.PutItem", fault: "provisioned-throughput", times: 2 },
          { operation: "DynamoDB.PutItem", fault: "http-500", times: 1 },
          { operation: "DynamoDB.PutItem", fault: "reset-before", times: 1 },
          { operation: "DynamoDB.PutItem", fault: "reset-after", times: 2 },
          { operation: "DynamoDB.PutItem", fault: "slow", times: 1 },
          { operation: "S3.PutObject", fault: "throttling", times: 2 },
          { operation: "S3.PutObject", fault: "http-503", times: 2 },
          { operation: "S3.PutObject", fault: "reset-before", times: 1 },
          { operation: "S3.PutObject", fault: "reset-after", times: 2 },
          { operation: "S3.PutObject", fault: "slow", times: 1 },
        );
      const events = records(20, "faults");
      const outcomes = await invoke(events, 4);
      expect(failures(outcomes)).toEqual([]);
      expect(proxy.totalInjected()).toBe(17);
      await expectExactlyOnce(events.map((event) => event.uuid));
    });

    test("AccessDenied on the first AssumeRole calls (IAM settling after a deploy) is retried, and the write goes through [aws-rule iam-eventual-consistency]", async () => {
      proxy.inject({ operation: "STS.AssumeRole", fault: "access-denied", times: 3 });
      const events = records(1, "access-denied");
      const outcomes = await invoke(events);
      expect(failures(outcomes)).toEqual([]);
      expect(proxy.count("STS.AssumeRole")).toBe(4);
      await expectExactlyOnce([events[0].uuid]);
    });

    test("a lasting AccessDenied fails after bounded retries, naming account, role and resource, and writes nothing", async () => {
      proxy.inject({ operation: "STS.AssumeRole", fault: "access-denied", times: 1000 });
      const events = records(1, "denied");
      const [outcome] = await invoke(events);
      if (!("error" in outcome)) throw new Error(`expected a failure, got ${outcome.result.statusCode}`);
      expect(outcome.error.message).toContain(
        `into table ${TABLE} in account 222222222222 as ${outputs["destination-role-arn"]}`,
      );
      expect(outcome.error.message).toContain("AccessDenied");
      expect(proxy.count("STS.AssumeRole")).toBe(6);
      expect(proxy.count("DynamoDB.PutItem") + proxy.count("S3.PutObject")).toBe(0);
      expect((await stored([events[0].uuid])).get(events[0].uuid)).toEqual({ items: 0, objects: 0 });
    });

    test("a DynamoDB that keeps failing: the writer gives up after 6 attempts with the table named, and puts no object", async () => {
      proxy.inject({ operation: "DynamoDB.PutItem", fault: "http-503", times: 1000 });
      const events = records(1, "unavailable");
      const [outcome] = await invoke(events);
      if (!("error" in outcome)) throw new Error(`expected a failure, got ${outcome.result.statusCode}`);
      expect(outcome.error.message).toMatch(
        /could not put item .* into table wd-ddb-table in account 222222222222 as arn:aws:iam::222222222222:role\/assume-role-via-111111111111/,
      );
      expect(proxy.count("DynamoDB.PutItem")).toBe(6);
      expect(proxy.count("S3.PutObject")).toBe(0);
    });

    test("200 concurrent invocations: no record lost, none duplicated, one AssumeRole per execution environment", async () => {
      const events = records(200, "load");
      const environments = 4;
      const share = events.length / environments;
      const outcomes = (
        await Promise.all(
          Array.from({ length: environments }, (_, index) =>
            invoke(events.slice(index * share, (index + 1) * share), share),
          ),
        )
      ).flat();
      expect(failures(outcomes)).toEqual([]);
      expect(outcomes.every((outcome) => "result" in outcome && outcome.result.statusCode === 201)).toBe(true);
      expect(proxy.count("STS.AssumeRole")).toBe(environments);
      await expectExactlyOnce(events.map((event) => event.uuid));
    });
    // 10,000 records per event are accepted (unit tests) and timed by `npm run bench`; 1,000 (40 batches of 25, one
    // object each) keep this test quick: moto serves one request at a time.
    test("a bulk event of 1,000 records through throttling and UnprocessedItems: each exactly once; its replay adds nothing", async () => {
      proxy.inject(
        { operation: "DynamoDB.BatchWriteItem", fault: "throttling", times: 3 },
        { operation: "DynamoDB.BatchWriteItem", fault: "unprocessed", times: 20 },
        { operation: "DynamoDB.BatchWriteItem", fault: "http-500", times: 2 },
        { operation: "S3.PutObject", fault: "http-503", times: 5 },
        { operation: "S3.PutObject", fault: "reset-after", times: 3 },
      );
      const events = records(1_000, "bulk");
      const [outcome] = await invoke([{ records: events }]);
      if ("error" in outcome) throw new Error(outcome.error.message);
      expect(outcome.result.statusCode).toBe(200);
      expect(JSON.parse(outcome.result.body)).toEqual(
        expect.objectContaining({ written: 1_000, alreadyPresent: 0, failed: [] }),
      );
      expect(proxy.totalInjected()).toBe(33);
      await expectExactlyOnce(events.map((event) => event.uuid));

      proxy.reset();
      const [replay] = await invoke([{ records: events }]);
      if ("error" in replay) throw new Error(replay.error.message);
      expect(JSON.parse(replay.result.body)).toEqual(
        expect.objectContaining({ written: 0, alreadyPresent: 1_000, failed: [] }),
      );
      await expectExactlyOnce(events.map((event) => event.uuid));
    });

    test("with short sessions, credentials are refreshed before expiry: a long run never fails and AssumeRole calls stay bounded", async () => {
      // Sessions "expire" 5 min + 2 s after issue and requests signed after that are refused with ExpiredToken; the
      // writer refreshes 5 min before expiry, so every 2 s.
      const sessions = await FaultProxy.start(emulator.endpoint, { sessionSeconds: 302 });
      try {
        const events = records(60, "sessions");
        const started = Date.now();
        // One execution environment, one event every 200 ms for about 12 s.
        const outcomes = await invokeDeployedWriter(source, stackDirectory, outputs, events, {
          endpoint: sessions.endpoint,
          intervalMs: 200,
        });
        const seconds = (Date.now() - started) / 1000;
        expect(failures(outcomes)).toEqual([]);
        expect(sessions.expiredRejections).toBe(0);
        const assumes = sessions.count("STS.AssumeRole");
        expect(assumes).toBeGreaterThanOrEqual(Math.floor(seconds / 2) - 1);
        expect(assumes).toBeLessThanOrEqual(Math.ceil(seconds / 2) + 1);
        await expectExactlyOnce(events.map((event) => event.uuid));
      } finally {
        await sessions.stop();
      }
    });

    // Last: it re-applies the stack with the destination's bulk layout changed.
    test("bulkObjects per-batch: 1,500 records (two batch objects) through throttling, UnprocessedItems, a 503 and a reset after S3 stored a batch: each record in one batch object once; the replay adds nothing", async () => {
      await synthesizeInto(
        workDirectory,
        emulatorConfig(emulator.endpoint, { writerSessionDurationSeconds: 900, bulkObjects: "per-batch" }),
      );
      await terraform.applyWriterPath();
      const batchVersions = () => destination.objectVersions(BUCKET, "records/batches/");
      proxy.inject(
        { operation: "DynamoDB.BatchWriteItem", fault: "throttling", times: 3 },
        { operation: "DynamoDB.BatchWriteItem", fault: "unprocessed", times: 10 },
        { operation: "S3.PutObject", fault: "http-503", times: 1 },
        { operation: "S3.PutObject", fault: "reset-after", times: 1 },
      );
      const events = records(1_500, "per-batch");
      const [outcome] = await invoke([{ records: events }]);
      if ("error" in outcome) throw new Error(outcome.error.message);
      const body = JSON.parse(outcome.result.body);
      expect(body).toEqual(expect.objectContaining({ written: 1_500, alreadyPresent: 0, failed: [] }));
      expect(proxy.totalInjected()).toBe(15);
      expect(body.batchObjects).toHaveLength(2);

      const uuids = new Set<string>(events.map((event) => event.uuid));
      const versions = await batchVersions();
      // One version per batch: the put the connection reset had stored was not stored again (its retry met a 412).
      expect(versions.map(({ key }) => `s3://${BUCKET}/${key}`).sort()).toEqual([...body.batchObjects].sort());
      const lines = (await Promise.all(versions.map(({ key }) => destination.objectText(BUCKET, key)))).flatMap(
        (text) => text.trimEnd().split("\n"),
      );
      expect(lines.map((line) => (JSON.parse(line) as { uuid: string }).uuid).sort()).toEqual([...uuids].sort());
      const items = (await destination.items(TABLE)).filter((item) => uuids.has(String(item.uuid)));
      expect(items).toHaveLength(1_500);

      proxy.reset();
      const [replay] = await invoke([{ records: events }]);
      if ("error" in replay) throw new Error(replay.error.message);
      expect(JSON.parse(replay.result.body)).toEqual({ ...body, written: 0, alreadyPresent: 1_500 });
      expect(await batchVersions()).toEqual(versions);
      expect(proxy.count("S3.PutObject")).toBe(2);
    });
  },
);
