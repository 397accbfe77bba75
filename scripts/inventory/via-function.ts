import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { InventorySummary } from "../../functions/inventory/inventory";
import { partKey, type ReportLocation, summaryKey } from "../../functions/inventory/report";
import { INVENTORY_NAMES } from "../../stacks/config/inventory";
import type { ViaFunctionCommand } from "./arguments";
import { type CliOutput, rowPrinter } from "./output";

/** What a synchronous invocation returned: the payload, and Lambda's FunctionError when the function failed. */
export interface Invocation {
  readonly payload: string;
  readonly functionError?: string;
}

/** Runs the inventory function once and returns what it returned. */
export type Invoker = (functionName: string) => Promise<Invocation>;

/** How the report is reached: the function's invoker, and S3 in the function's region. */
export interface ViaFunctionClients {
  readonly invoke: Invoker;
  readonly s3: S3Client;
}

/** Lambda may run the inventory for 900 s; the answer comes only then. */
const INVOKE_TIMEOUT_MS = 16 * 60 * 1000;

/** Why an Invoke was refused, naming the function, its region and what to do. */
export function invokeError(error: unknown, functionName: string, region: string): Error {
  const { name = "Error", message = String(error) } = (error ?? {}) as Partial<Error>;
  if (name === "AccessDeniedException")
    return new Error(
      `lambda:InvokeFunction on ${functionName} in ${region} was refused (${message}): your identity needs lambda:InvokeFunction on that function, or list with --role-name and a role that trusts you`,
    );
  if (name === "ResourceNotFoundException")
    return new Error(
      `there is no function ${functionName} in ${region} (${message}): deploy the stack with an inventory block (its function is ${INVENTORY_NAMES.functionName} in the source account's region), or give the function's ARN or its region with --sts-region`,
    );
  return new Error(`invoking ${functionName} in ${region} failed: ${name}: ${message}`);
}

/**
 * Lambda's synchronous Invoke in a region: one attempt, since a retried invoke would start a second run, and a
 * socket that waits out the function's 900 s.
 */
export function lambdaInvoker(region: string): Invoker {
  const lambda = new LambdaClient({ region, maxAttempts: 1, requestHandler: { requestTimeout: INVOKE_TIMEOUT_MS } });
  return async (functionName) => {
    try {
      const answer = await lambda.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: "RequestResponse",
          Payload: new TextEncoder().encode("{}"),
        }),
      );
      const payload = new TextDecoder().decode(answer.Payload ?? new Uint8Array());
      return { payload, ...(answer.FunctionError ? { functionError: answer.FunctionError } : {}) };
    } catch (error) {
      throw invokeError(error, functionName, region);
    }
  };
}

/** Where a run's report is, from the `reportUri` (`s3://bucket/prefix/runId/`) of its summary. */
export function reportLocation(summary: Pick<InventorySummary, "reportUri" | "runId">): ReportLocation {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(summary.reportUri ?? "");
  const runPrefix = `${summary.runId}/`;
  if (!match || !summary.runId || !match[2].endsWith(runPrefix))
    throw new Error(
      `the inventory function returned no report location of its run (reportUri s3://<bucket>/<prefix>/<runId>/), got ${JSON.stringify(summary)}`,
    );
  return { bucket: match[1], prefix: match[2].slice(0, -runPrefix.length).replace(/\/$/, ""), runId: summary.runId };
}

async function readObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await object.Body?.transformToString()) ?? "";
  } catch (error) {
    const { name = "Error", message = String(error) } = (error ?? {}) as Partial<Error>;
    const advice =
      name === "AccessDenied" ? `: reading the report needs s3:GetObject on arn:aws:s3:::${bucket}/${key}` : "";
    throw new Error(`could not read the inventory report s3://${bucket}/${key}: ${name}: ${message}${advice}`);
  }
}

/** Runs the deployed inventory function, then prints its report as `npm run inventory` prints a scan. */
export async function runViaFunction(
  command: ViaFunctionCommand,
  output: CliOutput,
  clients: ViaFunctionClients,
): Promise<number> {
  output.stderr(`running ${command.functionName} in ${command.region}: this takes as long as the run (up to 15 min)\n`);
  const { payload, functionError } = await clients.invoke(command.functionName);
  if (functionError) {
    const { errorType = "Error", errorMessage = payload } = JSON.parse(payload || "{}");
    throw new Error(
      `the inventory function ${command.functionName} failed (${functionError}): ${errorType}: ${errorMessage}`,
    );
  }
  const summary = JSON.parse(payload || "{}") as InventorySummary;
  const location = reportLocation(summary);
  const { parts } = JSON.parse(await readObject(clients.s3, location.bucket, summaryKey(location))) as {
    parts: number;
  };
  const statuses = Object.entries(summary.statuses ?? {})
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(", ");
  output.stderr(`run ${summary.runId}: ${summary.accounts} accounts, ${statuses}; report ${summary.reportUri}\n`);
  const printer = rowPrinter(command.format, command.runtimes, output);
  for (let part = 1; part <= parts; part += 1) {
    const text = await readObject(clients.s3, location.bucket, partKey(location, part));
    for (const line of text.split("\n")) if (line.trim()) printer.onRow(JSON.parse(line));
  }
  return printer.finish();
}
