import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

// The size rule of the layout (docs/layout.md); the import rules are .dependency-cruiser.cjs's (npm run lint:imports).
const ROOT = path.resolve(__dirname, "..");

function sources(directory: string): string[] {
  return readdirSync(path.join(ROOT, directory), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

describe("layout", () => {
  test("no file under stacks/, functions/ or scripts/ is over 250 lines, and no test file over 400", () => {
    const lines = (file: string) => readFileSync(path.join(ROOT, file), "utf8").split("\n").length;
    const long = [
      ...["stacks", "functions", "scripts"].flatMap((directory) =>
        sources(directory).filter((file) => lines(file) > 250),
      ),
      ...sources("test").filter((file) => /\.test\.ts$/.test(file) && lines(file) > 400),
    ];
    expect(long).toEqual([]);
  });
});
