import * as path from "node:path";
import { synthOutputIn, workingFolder } from "../stacks/config";
import { STACK_NAME } from "../stacks/identifiers";
import { CommandError, PROJECT_ROOT } from "./shared/process";
import { stackDirectoryIn, synthesizeApp } from "./terraform/cdktf-project";
import { applySavedPlan, savePlan } from "./terraform/reviewed-plan";
import { Terraform } from "./terraform/terraform";

const USAGE = `Usage:
  npm run plan:save  [-- --out DIR]   synthesize, plan both accounts into DIR/cross-account.tfplan, with
                                      cross-account.plan.json (terraform show -json), cross-account.plan.txt
                                      and access-diff.md (the access the plan adds or removes)
  npm run plan:apply [-- --out DIR]   apply exactly that saved plan (Terraform refuses it if the state changed)

DIR defaults to plan/. The config comes from CROSS_ACCOUNT_CONFIG, as for every other command.`;

// The config's own working folder, where `npm run synth|plan|deploy` put its synth output and local state.
const OUTDIR = synthOutputIn(workingFolder(process.env, PROJECT_ROOT));

async function main(args: string[]): Promise<void> {
  const [command, ...options] = args;
  const outIndex = options.indexOf("--out");
  const unknown = options.filter((option, index) => !(option === "--out" || (outIndex >= 0 && index === outIndex + 1)));
  if (!["save", "apply"].includes(command) || unknown.length > 0 || (outIndex >= 0 && !options[outIndex + 1])) {
    throw new Error(
      `${command === undefined ? "no command" : `unknown arguments ${JSON.stringify(args.join(" "))}`}; allowed: save|apply [--out DIR]\n\n${USAGE}`,
    );
  }
  const outDirectory = path.resolve(outIndex >= 0 ? options[outIndex + 1] : path.join(PROJECT_ROOT, "plan"));
  const terraform = new Terraform(stackDirectoryIn(OUTDIR));
  if (command === "save") {
    await synthesizeApp(PROJECT_ROOT, OUTDIR);
    const saved = await savePlan(terraform, outDirectory, STACK_NAME);
    console.log(saved.summary);
    console.log(
      `Access: ${saved.accessDiff.length > 0 ? `\n${saved.accessDiff.join("\n")}` : "no change in access"}\n`,
    );
    console.log(
      `Review ${path.relative(process.cwd(), saved.summaryFile)} (or the JSON), then: npm run plan:apply${outIndex >= 0 ? ` -- --out ${options[outIndex + 1]}` : ""}`,
    );
  } else {
    const result = await applySavedPlan(terraform, path.join(outDirectory, `${STACK_NAME}.tfplan`));
    console.log(result.stdout.trim().split("\n").slice(-3).join("\n"));
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof CommandError ? error.message : error instanceof Error ? error.message : String(error));
  process.exit(1);
});
