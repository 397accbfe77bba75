import { mkdirSync } from "node:fs";
import { accessFigures } from "./bench/access";
import { bundleFigures } from "./bench/bundle";
import { doctorFigures } from "./bench/doctor";
import { inventoryFigures } from "./bench/inventory";
import { inventoryPlanFigures } from "./bench/inventory-plan";
import { providerCostFigures } from "./bench/providers-cost";
import { synthFigures, unitSuiteFigure } from "./bench/synth";
import { printTable } from "./bench/table";
import { vendFigures } from "./bench/vend";
import { deployFigure, emulatorFigures } from "./bench/writer";
import { requireTools } from "./lib/emulator";
import { BUILD_DIRECTORY } from "./shared/process";

// `npm run bench`: every performance figure, each as a median of several runs and, where it has one, as a ratio to a
// baseline measured in the same run. BENCH_RUNS (default 5) sets the runs; BENCH_SKIP_DEPLOY=1 leaves out the full
// deploy + invoke + destroy (about 2 minutes); BENCH_ONLY=<group>,... runs only those groups.
const GROUPS: Record<string, () => Promise<void>> = {
  bundle: bundleFigures,
  synth: async () => {
    await synthFigures();
    await unitSuiteFigure();
  },
  access: accessFigures,
  writer: async () => {
    await emulatorFigures();
    await deployFigure();
  },
  inventory: inventoryFigures,
  providers: providerCostFigures,
  vend: vendFigures,
  "inventory-plan": inventoryPlanFigures,
  doctor: doctorFigures,
};

async function main(): Promise<void> {
  // Lambda runs nodejs22.x: the SDK's notice that it will need Node 22 says nothing about the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  requireTools(["terraform", "moto_server"]);
  mkdirSync(BUILD_DIRECTORY, { recursive: true });
  const only = process.env.BENCH_ONLY?.split(",").filter(Boolean);
  const unknown = (only ?? []).filter((group) => !(group in GROUPS));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY names unknown groups ${unknown.join(", ")}; allowed: ${Object.keys(GROUPS).join(", ")}`,
    );
  }
  for (const [group, figures] of Object.entries(GROUPS)) {
    if (!only || only.includes(group)) await figures();
  }
  printTable();
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
