// Runs a bundled Lambda handler the way the Node.js runtime does: a fresh process, the function's environment,
// module loaded once, then each event handled in turn. Events come as a JSON array on stdin; every result or
// error is printed as one JSON line on stdout.
import { pathToFileURL } from "node:url";
import * as path from "node:path";

const [codeDirectory, handlerSetting] = process.argv.slice(2);
const [file, exportName] = handlerSetting.split(".");
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const events = JSON.parse(Buffer.concat(chunks).toString() || "[]");

const module = await import(pathToFileURL(path.join(codeDirectory, `${file}.mjs`)).href);
for (const event of events) {
  try {
    const result = await module[exportName](event, { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME });
    process.stdout.write(`${JSON.stringify({ result })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: { name: error.name, message: error.message } })}\n`);
  }
}
