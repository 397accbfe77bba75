import { readFileSync } from "node:fs";
import type { CrossAccountConfig } from "./cross-account-config";
import { ConfigError } from "./errors";
import { EXAMPLE_CONFIG } from "./example";
import { resolveConfig } from "./resolve";

/** Environment variable naming the JSON config file. */
export const CONFIG_VARIABLE = "CROSS_ACCOUNT_CONFIG";
/** Environment variable moving the embedded example's emulator endpoint. */
export const EMULATOR_ENDPOINT_VARIABLE = "CROSS_ACCOUNT_EMULATOR_ENDPOINT";

/**
 * The config from an environment: the JSON file named by CROSS_ACCOUNT_CONFIG, or the embedded example (two
 * accounts in a local emulator at CROSS_ACCOUNT_EMULATOR_ENDPOINT, default http://127.0.0.1:5000), validated.
 * Throws {@link ConfigError}.
 */
export function loadConfig(env: NodeJS.ProcessEnv): CrossAccountConfig {
  const file = env[CONFIG_VARIABLE];
  if (!file) {
    const endpoint = env[EMULATOR_ENDPOINT_VARIABLE];
    return resolveConfig(endpoint ? { ...EXAMPLE_CONFIG, emulator: { endpoint } } : EXAMPLE_CONFIG);
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError([`${CONFIG_VARIABLE} names "${file}", which cannot be read: ${(error as Error).message}`]);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${CONFIG_VARIABLE} file "${file}" is not valid JSON: ${(error as Error).message}`]);
  }
  return resolveConfig(input);
}
