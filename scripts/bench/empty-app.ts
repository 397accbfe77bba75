// Run like main.ts (source maps off before cdktf loads), so the ratio compares the apps, not the process setup.
import "../../stacks/synth-process";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack } from "cdktf";

// Baseline of the synth benchmark: an empty cdktf app with one AWS provider.
const app = new App();
const stack = new TerraformStack(app, "baseline");
new AwsProvider(stack, "aws", { region: "us-east-1" });
app.synth();
