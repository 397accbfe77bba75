import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

// The house rules of the layout (docs/layout.md), checked on every import of the tree.
const ROOT = path.resolve(__dirname, "..");

function sources(directory: string): string[] {
  return readdirSync(path.join(ROOT, directory), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/** Every module a file imports, as a path from the project root (packages as they are written). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  return [...text.matchAll(/(?:from|import|require\()\s*["']([^"']+)["']/g)].map(([, specifier]) =>
    specifier.startsWith(".") ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)) : specifier,
  );
}

describe("layout", () => {
  test("stacks/ imports only the environment contracts of functions/", () => {
    const crossings = sources("stacks").flatMap((file) =>
      importsOf(file)
        .filter((imported) => imported.startsWith("functions/") && !/^functions\/[\w-]+\/environment$/.test(imported))
        .map((imported) => `${file} -> ${imported}`),
    );
    expect(crossings).toEqual([]);
  });

  test("functions/ imports nothing from stacks/ or scripts/", () => {
    const crossings = sources("functions").flatMap((file) =>
      importsOf(file)
        .filter((imported) => /^(stacks|scripts)\//.test(imported))
        .map((imported) => `${file} -> ${imported}`),
    );
    expect(crossings).toEqual([]);
  });

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
