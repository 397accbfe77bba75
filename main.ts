import "./stacks/synth-process";
import { App } from "cdktf";
import { ConfigError, loadConfig } from "./stacks/config";
import { CrossAccountStack, STACK_NAME } from "./stacks/cross-account-stack";

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
