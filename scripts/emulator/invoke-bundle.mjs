// Runs a bundled Lambda handler the way the Node.js runtime does: a fresh process, the function's environment,
// the module loaded once, then the events. Events come as a JSON array on stdin and are handled with the given
// concurrency (default 1, as in one Lambda execution environment), optionally pausing between events; each outcome is printed as one JSON line on
// stdout, in the order of the events.

import * as path from "node:path";
import { pathToFileURL } from "node:url";

const [codeDirectory, handlerSetting, concurrencyArgument = "1", intervalArgument = "0"] = process.argv.slice(2);
const intervalMs = Number(intervalArgument);
const [file, exportName] = handlerSetting.split(".");
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const events = JSON.parse(Buffer.concat(chunks).toString() || "[]");

const module = await import(pathToFileURL(path.join(codeDirectory, `${file}.mjs`)).href);
const timeoutMs = Number(process.env.BUNDLE_TIMEOUT_SECONDS ?? 3) * 1000;
/** Lambda's context for one invocation: its name and the time left before its timeout. */
const contextFor = (started) => ({
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  getRemainingTimeInMillis: () => Math.max(0, started + timeoutMs - Date.now()),
});
const outcomes = new Array(events.length);
let next = 0;
const worker = async () => {
  while (next < events.length) {
    const index = next++;
    const started = performance.now();
    try {
      outcomes[index] = { result: await module[exportName](events[index], contextFor(Date.now())) };
    } catch (error) {
      outcomes[index] = { error: { name: error.name, message: error.message } };
    }
    outcomes[index].ms = performance.now() - started;
    if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
await Promise.all(Array.from({ length: Math.max(1, Math.min(Number(concurrencyArgument), events.length)) }, worker));
for (const outcome of outcomes) process.stdout.write(`${JSON.stringify(outcome)}\n`);
