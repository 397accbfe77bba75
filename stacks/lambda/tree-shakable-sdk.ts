import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Bumped whenever {@link literalTraitKeys} changes, so copies made by an older version are not reused.
 */
const TRANSFORM_VERSION = 1;

const STRING_CONSTANT = /^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm;
const COMPUTED_KEY = /\[(_\w+)\]:/g;

/**
 * A generated schema module with its computed trait keys (`{ [_e]: _c }`) written as the string literals they name
 * (`{ "error": _c }`). esbuild must keep an object literal with a computed key, since the key expression could have
 * side effects, so with computed keys every schema of a client stays in a bundle that uses one operation
 * (aws/aws-sdk-js-v3#7607; smithy-lang/smithy-typescript#1889 makes the code generator write literal keys).
 */
export function literalTraitKeys(source: string): { code: string; replaced: number } {
  const constants = new Map([...source.matchAll(STRING_CONSTANT)].map(([, name, literal]) => [name, literal]));
  let replaced = 0;
  const code = source.replace(COMPUTED_KEY, (key: string, name: string) => {
    const literal = constants.get(name);
    if (literal === undefined) return key;
    replaced += 1;
    return `${literal}:`;
  });
  return { code, replaced };
}

/**
 * The directory of a copy of an AWS SDK client's ES modules (`package.json` and `dist-es/`) whose schemas can be
 * tree-shaken, made once per client version below `root` and reused; the package itself when its schemas have no
 * computed keys. A bundle uses it through esbuild's `alias`; the copy lives inside the project, so its own imports
 * resolve from the project's node_modules.
 */
export function treeShakableClient(packageName: string, root: string): string {
  const packageDirectory = path.dirname(require.resolve(`${packageName}/package.json`));
  const { version } = JSON.parse(readFileSync(path.join(packageDirectory, "package.json"), "utf8")) as {
    version: string;
  };
  const copy = path.join(root, `${packageName.replace("/", "+")}@${version}-t${TRANSFORM_VERSION}`);
  if (existsSync(path.join(copy, "package.json"))) return copy;

  // Built beside the final place and renamed into it, so a concurrent synth never sees half a copy.
  const temporary = `${copy}.${process.pid}.tmp`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  cpSync(path.join(packageDirectory, "dist-es"), path.join(temporary, "dist-es"), { recursive: true });
  const schemas = path.join(temporary, "dist-es", "schemas");
  const files = existsSync(schemas) ? readdirSync(schemas).filter((file) => file.endsWith(".js")) : [];
  let replaced = 0;
  for (const file of files) {
    const result = literalTraitKeys(readFileSync(path.join(schemas, file), "utf8"));
    writeFileSync(path.join(schemas, file), result.code);
    replaced += result.replaced;
  }
  if (replaced === 0) {
    // A client generated with literal keys (the upstream fix) is tree-shakable as it is.
    rmSync(temporary, { recursive: true, force: true });
    return packageDirectory;
  }
  cpSync(path.join(packageDirectory, "package.json"), path.join(temporary, "package.json"));
  try {
    renameSync(temporary, copy);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    if (!existsSync(path.join(copy, "package.json"))) throw error;
  }
  return copy;
}
