import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { readVendSettings } from "../../functions/vend/environment";
import { assumeRoleParams } from "../../functions/vend/vend";
import { EXAMPLE_SOURCE_ACCOUNT_ID } from "../../stacks/config";
import { VENDING_OUTPUTS } from "../../stacks/vending/vending";
import { invokeDeployedFunction } from "../emulator/bundle-runner";
import { assumeInEmulator, EmulatorAccount } from "../emulator/emulator-accounts";
import { functionUrlEvent } from "../emulator/function-url-event";
import { applyVendingPath } from "../lib/apply-vending-path";
import { Emulator } from "../lib/emulator";
import { FaultProxy } from "../lib/fault-proxy";
import { emulatorConfig, synthesizeInto } from "../terraform/cdktf-project";
import { median, ms, progress, RUNS, record } from "./table";

const CALLER = "arn:aws:iam::111111111111:role/reporting";
const VENDING = { callers: [{ arn: CALLER, destinations: ["destination"], access: "read" as const }] };
const REQUESTS = RUNS * 20;

/**
 * Vend latency against a bare AssumeRole on the emulator, in one run: the real bundle answering signed-request events
 * (each with its own purpose, so each makes an AssumeRole; then one request repeated, served from the cache), and the
 * SDK's AssumeRole of the same role with the function's credentials.
 */
export async function vendFigures(): Promise<void> {
  const emulator = await Emulator.start();
  const proxy = await FaultProxy.start(emulator.endpoint);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-vend-"));
  try {
    progress("vend: deploying the vending pattern");
    const stackDirectory = await synthesizeInto(scratch, emulatorConfig(emulator.endpoint, { vending: VENDING }));
    const outputs = await (await applyVendingPath(stackDirectory)).outputs();
    const source = await EmulatorAccount.open(emulator.endpoint, EXAMPLE_SOURCE_ACCOUNT_ID);
    const vendFunction = {
      functionName: outputs[VENDING_OUTPUTS.functionName],
      executionRoleArn: outputs[VENDING_OUTPUTS.executionRoleArn],
    };
    const session = `${CALLER.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/bench`;
    const request = (purpose?: string) =>
      functionUrlEvent(
        { userArn: session },
        { destination: "destination", access: "read", ...(purpose && { purpose }) },
      );
    const latencies = async (events: unknown[], endpoint = emulator.endpoint) => {
      const outcomes = await invokeDeployedFunction(source, stackDirectory, vendFunction, events, { endpoint });
      const failed = outcomes.find((outcome) => !("result" in outcome) || outcome.result.statusCode !== 200);
      if (failed) throw new Error(`a vend failed: ${JSON.stringify(failed)}`);
      return outcomes.slice(1).map((outcome) => outcome.ms);
    };

    const uncached = median(await latencies(Array.from({ length: REQUESTS + 1 }, (_, index) => request(`p${index}`))));
    const cached = median(await latencies(Array.from({ length: REQUESTS + 1 }, () => request())));

    const credentials = await assumeInEmulator(emulator.endpoint, vendFunction.executionRoleArn, "bench");
    const sts = new STSClient({ region: "us-east-1", endpoint: emulator.endpoint, credentials });
    const deployedEnvironment = (configuration: { Environment?: { Variables?: Record<string, string> } }) =>
      configuration.Environment?.Variables ?? {};
    // The same AssumeRole the function sends for this caller (session policy, tags, SourceIdentity): the ratio is the
    // function's own cost, not what moto charges per parameter.
    const settings = readVendSettings(
      deployedEnvironment(
        await source.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: vendFunction.functionName })),
      ),
    );
    const [caller] = settings.callers;
    const params = assumeRoleParams(settings, caller, session, {
      destination: "destination",
      access: "read",
      durationSeconds: 900,
    });
    const bare: number[] = [];
    for (let index = 0; index <= REQUESTS; index += 1) {
      const started = performance.now();
      await sts.send(new AssumeRoleCommand({ ...params, Tags: [...params.Tags] }));
      if (index > 0) bare.push(performance.now() - started);
    }
    const bareMedian = median(bare);
    const ratio = (value: number) => `${(value / bareMedian).toFixed(2)}x`;
    record({
      figure: "vend latency, each request an AssumeRole (real bundle, emulator)",
      value: ms(uncached),
      baseline: `${ms(bareMedian)} the same AssumeRole, SDK`,
      ratio: ratio(uncached),
      target: "<= 1.2x",
      met: uncached / bareMedian <= 1.2 ? "yes" : "no",
    });
    record({
      figure: "vend latency, served from the cache",
      value: ms(cached),
      baseline: `${ms(bareMedian)} the same AssumeRole, SDK`,
      ratio: ratio(cached),
      target: "< 0.5x",
      met: cached / bareMedian < 0.5 ? "yes" : "no",
    });

    proxy.reset();
    await latencies(
      Array.from({ length: 200 }, () => request("cache")),
      proxy.endpoint,
    );
    const assumes = proxy.count("STS.AssumeRole");
    record({
      figure: "AssumeRole calls for 200 vends of one caller (counted at a proxy)",
      value: String(assumes),
      baseline: "-",
      ratio: "-",
      target: "1",
      met: assumes === 1 ? "yes" : "no",
    });
  } finally {
    await proxy.stop();
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
