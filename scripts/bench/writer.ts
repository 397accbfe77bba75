import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { destinationRoleCredentials } from "../../functions/writer/credentials";
import type { DestinationSettings } from "../../functions/writer/environment";
import { writeRecord } from "../../functions/writer/write-record";
import type { WriterClients } from "../../functions/writer/writer-clients";
import { EXAMPLE_DESTINATION_ACCOUNT_ID, EXAMPLE_SOURCE_ACCOUNT_ID } from "../../stacks/config";
import { invokeDeployedWriter } from "../emulator/bundle-runner";
import { EmulatorAccount } from "../emulator/emulator-accounts";
import { Emulator } from "../lib/emulator";
import { FaultProxy } from "../lib/fault-proxy";
import { PROJECT_ROOT, TSX } from "../shared/process";
import { emulatorConfig, synthesizeInto } from "../terraform/cdktf-project";
import { Terraform } from "../terraform/terraform";
import { clientsAssumedNow } from "./assume-per-invocation";
import { measure, median, ms, record } from "./table";

export async function emulatorFigures(): Promise<void> {
  const emulator = await Emulator.start();
  const proxy = await FaultProxy.start(emulator.endpoint);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-emulator-"));
  try {
    const stackDirectory = await synthesizeInto(scratch, emulatorConfig(emulator.endpoint));
    const terraform = new Terraform(stackDirectory);
    await terraform.init();
    await terraform.applyWriterPath();
    const outputs = await terraform.outputs();
    const [source, destination] = await Promise.all([
      EmulatorAccount.open(emulator.endpoint, EXAMPLE_SOURCE_ACCOUNT_ID),
      EmulatorAccount.open(emulator.endpoint, EXAMPLE_DESTINATION_ACCOUNT_ID),
    ]);
    const events = (count: number) =>
      Array.from({ length: count }, (_, index) => ({
        timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, index)).toISOString(),
        uuid: randomUUID(),
        data: { index },
      }));
    const target: DestinationSettings = {
      name: "destination",
      accountId: EXAMPLE_DESTINATION_ACCOUNT_ID,
      region: "us-east-1",
      roleArn: outputs["destination-role-arn"],
      tableName: outputs["table-name"],
      bucketName: outputs["bucket-name"],
      bucketPrefix: outputs["bucket-prefix"],
    };

    // AssumeRole calls, counted at the proxy: the deployed bundle over 1,000 warm invocations in one process ...
    proxy.reset();
    await invokeDeployedWriter(source, stackDirectory, outputs, events(1000), { endpoint: proxy.endpoint });
    const oursAssumes = proxy.count("STS.AssumeRole");
    // ... and the guides' assume-per-invocation pattern doing the same writes.
    proxy.reset();
    for (const event of events(1000)) {
      const clients = await clientsAssumedNow(
        outputs["destination-role-arn"],
        "us-east-1",
        proxy.endpoint,
        source.credentials,
      );
      await writeRecord(clients, target, event);
    }
    const baselineAssumes = proxy.count("STS.AssumeRole");
    record({
      figure: "AssumeRole calls over 1,000 warm invocations (one process)",
      value: String(oursAssumes),
      baseline: `${baselineAssumes} (assume per invocation)`,
      ratio: `${(oursAssumes / baselineAssumes).toFixed(3)}x`,
      target: "exactly 1",
      met: oursAssumes === 1 ? "yes" : "no",
    });

    // Warm write latency, same client code: through the assumed role vs with the destination account's own credentials.
    const sourceCredentials = source.credentials;
    process.env.AWS_ACCESS_KEY_ID = sourceCredentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = sourceCredentials.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = sourceCredentials.sessionToken;
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    const crossCredentials = destinationRoleCredentials(target, {
      stsRegion: "us-east-1",
      roleSessionName: "bench",
      sessionDurationSeconds: 3600,
    });
    const cross: WriterClients = {
      dynamodb: new DynamoDBClient({ region: "us-east-1", credentials: crossCredentials }),
      s3: new S3Client({ region: "us-east-1", credentials: crossCredentials, forcePathStyle: true }),
    };
    const direct: WriterClients = {
      dynamodb: new DynamoDBClient({ region: "us-east-1", credentials: destination.credentials }),
      s3: new S3Client({ region: "us-east-1", credentials: destination.credentials, forcePathStyle: true }),
    };
    const latencies = { cross: [] as number[], direct: [] as number[] };
    await writeRecord(cross, target, events(1)[0]);
    await writeRecord(direct, target, events(1)[0]);
    for (const event of events(300)) {
      for (const [name, clients] of [
        ["direct", direct],
        ["cross", cross],
      ] as const) {
        const started = performance.now();
        await writeRecord(clients, target, { ...event, uuid: randomUUID() });
        latencies[name].push(performance.now() - started);
      }
    }
    const [c, d] = [median(latencies.cross), median(latencies.direct)];
    record({
      figure: "warm write latency (item + object), cross-account",
      value: ms(c),
      baseline: `${ms(d)} (same account, same code)`,
      ratio: `${(c / d).toFixed(2)}x`,
      target: "<= 1.15x",
      met: c / d <= 1.15 ? "yes" : "no",
    });

    // Bulk: one event of 10,000 records through the deployed bundle, against a loop of single puts (1,000 records),
    // first with the default per-record objects, then with the destination's bulkObjects set to per-batch.
    const loopStarted = performance.now();
    for (const event of events(1000)) await writeRecord(cross, target, event);
    const loopRate = 1000 / ((performance.now() - loopStarted) / 1000);
    const bulkFigure = async (layout: string) => {
      const started = performance.now();
      const [bulk] = await invokeDeployedWriter(source, stackDirectory, outputs, [{ records: events(10_000) }]);
      const seconds = (performance.now() - started) / 1000;
      if ("error" in bulk || JSON.parse(bulk.result.body).written !== 10_000)
        throw new Error(`bulk write (${layout}) failed: ${JSON.stringify(bulk).slice(0, 500)}`);
      const ratio = 10_000 / seconds / loopRate;
      record({
        figure: `bulk: 10,000 records cross-account in one event, ${layout}`,
        value: `${(10_000 / seconds).toFixed(0)} records/s (${seconds.toFixed(1)} s)`,
        baseline: `${loopRate.toFixed(0)} records/s (loop of single puts)`,
        ratio: `${ratio.toFixed(1)}x`,
        target: ">= 10x",
        met: ratio >= 10 ? "yes" : "no",
      });
    };
    await bulkFigure("per-record objects (default)");
    await synthesizeInto(scratch, emulatorConfig(emulator.endpoint, { bulkObjects: "per-batch" }));
    await terraform.applyWriterPath();
    await bulkFigure("bulkObjects per-batch");
  } finally {
    await proxy.stop();
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function deployFigure(): Promise<void> {
  if (process.env.BENCH_SKIP_DEPLOY) return;
  const run = await measure(TSX, [path.join(PROJECT_ROOT, "scripts", "demo.ts")]);
  record({
    figure: "emulator deploy + invoke + destroy (npm start)",
    value: ms(run.ms),
    baseline: "-",
    ratio: "-",
    target: "<= 150 s",
    met: run.ms <= 150_000 ? "yes" : "no",
  });
}
