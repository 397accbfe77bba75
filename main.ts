import { App } from "cdktf";
import { ConfigError } from "./stacks/config";
import { loadConfig } from "./stacks/config-file";
import { CrossAccountStack, STACK_NAME } from "./stacks/cross-account-stack";

// cdktf captures a stack trace for every reference it makes (about 75 in this stack), and with the source maps tsx
// turns on Node maps each frame through cdktf's inline source maps: some 50 ms of every synth. Synth errors are
// reported by message; NODE_OPTIONS=--enable-source-maps keeps source-mapped stack traces for debugging.
if (![...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].includes("--enable-source-maps")) {
  process.setSourceMapsEnabled(false);
}

try {
  const config = loadConfig(process.env);
  const app = new App();
  new CrossAccountStack(app, STACK_NAME, { config });
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
