import "./stacks/synth-process";
import { App } from "cdktf";
import { ConfigError, loadConfig, localStateFileIn, workingFolder } from "./stacks/config";
import { CrossAccountStack, STACK_NAME } from "./stacks/cross-account-stack";

try {
  const config = loadConfig(process.env);
  const app = new App();
  // Local state goes to the config's own working folder, so two configs never share one.
  new CrossAccountStack(app, STACK_NAME, { config, localStatePath: localStateFileIn(workingFolder(process.env)) });
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
