import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { graphviz } from "./access-map/picture";
import { PROJECT_ROOT, run } from "./shared/process";

// npm run layout:picture: docs/layout.svg, the rooms and which imports which, as dependency-cruiser sees them with
// .dependency-cruiser.cjs (folders collapsed by its archi reporter options; the tests and packages left out).

const DEPCRUISE = path.join(PROJECT_ROOT, "node_modules", ".bin", "depcruise");
const ROOMS = ["stacks", "functions", "scripts", "main.ts"];
const ONLY_ROOMS = "^(stacks|functions|scripts|main\\.ts)";
const PICTURE = path.join(PROJECT_ROOT, "docs", "layout.svg");

async function main(): Promise<void> {
  const { stdout } = await run(
    DEPCRUISE,
    [...ROOMS, "--config", ".dependency-cruiser.cjs", "--include-only", ONLY_ROOMS, "--output-type", "archi"],
    { cwd: PROJECT_ROOT },
  );
  // Links and tooltips (each an <a> in the SVG) mean nothing inside an image. Without packages, a file that imports
  // only packages looks orphaned: the real cruise (npm run lint:imports) does not flag it, so neither does the picture.
  const dot = stdout
    .replace(/ (URL|tooltip)="[^"]*"/g, "")
    .replace(/ fillcolor="#ccffcc" fontcolor="red" color="red"/g, "");
  const svg = (await graphviz()).renderString(dot, { format: "svg" });
  writeFileSync(PICTURE, svg.replace(/(<svg\b[^>]*>)/, "$1\n<title>The rooms and their imports</title>"));
  console.log(`wrote ${path.relative(PROJECT_ROOT, PICTURE)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
