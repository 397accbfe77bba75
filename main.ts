import { readFileSync } from "node:fs";
import { App } from "cdktf";
import { ConfigError, EXAMPLE_CONFIG, resolveConfig } from "./stacks/config";
import { CrossAccountStack, STACK_NAME } from "./stacks/cross-account-stack";

/**
 * The config: the JSON file named by CROSS_ACCOUNT_CONFIG, or the embedded example (two accounts in a local
 * emulator at CROSS_ACCOUNT_EMULATOR_ENDPOINT, default http://127.0.0.1:5000).
 */
function loadConfigInput(env: NodeJS.ProcessEnv): unknown {
  const file = env.CROSS_ACCOUNT_CONFIG;
  if (!file) {
    const endpoint = env.CROSS_ACCOUNT_EMULATOR_ENDPOINT;
    return endpoint ? { ...EXAMPLE_CONFIG, emulator: { endpoint } } : EXAMPLE_CONFIG;
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError([`CROSS_ACCOUNT_CONFIG names "${file}", which cannot be read: ${(error as Error).message}`]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`CROSS_ACCOUNT_CONFIG file "${file}" is not valid JSON: ${(error as Error).message}`]);
  }
}

try {
  const config = resolveConfig(loadConfigInput(process.env));
  const app = new App();
  new CrossAccountStack(app, STACK_NAME, { config });
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
