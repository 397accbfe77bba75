import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { BuildOptions } from "esbuild";
import { treeShakableClient } from "./tree-shakable-sdk";

// esbuild and fflate are loaded only when a bundle is made: a synth that reuses the cached zip needs neither.
const esbuild = () => require("esbuild") as typeof import("esbuild");
const fflate = () => require("fflate") as typeof import("fflate");
const esbuildVersion = (require("esbuild/package.json") as { version: string }).version;

/** Where bundles and their zips are kept, by content digest; a synth reuses them while no input changed. */
const BUNDLE_ROOT = path.resolve(__dirname, "..", "..", ".build", "bundles");
/** Where tree-shakable copies of SDK clients are kept, per client version. */
const SDK_ROOT = path.resolve(__dirname, "..", "..", ".build", "sdk");

/** The file name and export the bundle's Lambda handler setting points to. */
export const BUNDLE_HANDLER = "index.handler";
const BUNDLE_FILE = "index.mjs";
// A fixed timestamp keeps the zip, and so the function's code hash, the same for the same bundle.
const ZIP_MTIME = new Date("1980-01-01T00:00:00Z");

export interface BundledCodeProps {
  /** TypeScript entry point exporting `handler`. */
  readonly entry: string;
  /**
   * Module to bundle instead of `@aws-sdk/credential-provider-node`, the SDK's default credential chain.
   * @default - the SDK's own chain
   */
  readonly credentialChain?: string;
  /**
   * AWS SDK clients the handler uses, bundled from copies whose unused schemas esbuild can drop
   * (see {@link treeShakableClient}).
   * @default - none: clients are bundled as published
   */
  readonly sdkClients?: readonly string[];
}

function buildOptions(props: BundledCodeProps): BuildOptions {
  return {
    entryPoints: [props.entry],
    outfile: BUNDLE_FILE,
    bundle: true,
    write: false,
    platform: "node",
    target: "node22",
    format: "esm",
    mainFields: ["module", "main"],
    minify: true,
    legalComments: "none",
    logLevel: "silent",
    alias: {
      ...(props.credentialChain ? { "@aws-sdk/credential-provider-node": props.credentialChain } : {}),
      ...Object.fromEntries((props.sdkClients ?? []).map((client) => [client, treeShakableClient(client, SDK_ROOT)])),
    },
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  };
}

/**
 * The handler and everything it imports as one minified ES module for Node.js 22, with the SDK's default
 * credential chain replaced when `credentialChain` is given.
 */
export function bundleHandler(props: BundledCodeProps): Uint8Array {
  return build(props).contents;
}

function build(props: BundledCodeProps): { contents: Uint8Array; inputs: string[] } {
  const result = esbuild().buildSync({ ...buildOptions(props), metafile: true });
  const output = result.outputFiles?.[0];
  if (!output) throw new Error(`esbuild produced no output for ${props.entry}`);
  return {
    contents: output.contents,
    inputs: Object.keys(result.metafile?.inputs ?? {}).map((input) => path.resolve(input)),
  };
}

interface CacheRecord {
  readonly key: string;
  readonly digest: string;
  /** Input file -> "mtime:size" when the bundle was made. */
  readonly inputs: Record<string, string>;
}

const stamp = (file: string) => {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats ? `${stats.mtimeMs}:${stats.size}` : "missing";
};

/**
 * The zip of the bundle, made again only when an input file, the options or esbuild changed. Returns its path.
 */
function bundledZip(props: BundledCodeProps): string {
  const key = createHash("sha256")
    .update(JSON.stringify({ esbuildVersion, options: buildOptions(props) }))
    .digest("hex");
  const cacheFile = path.join(BUNDLE_ROOT, `${key.slice(0, 16)}.json`);
  if (existsSync(cacheFile)) {
    const cached = JSON.parse(readFileSync(cacheFile, "utf8")) as CacheRecord;
    const zip = path.join(BUNDLE_ROOT, cached.digest, "archive.zip");
    if (
      cached.key === key &&
      existsSync(zip) &&
      Object.entries(cached.inputs).every(([file, recorded]) => stamp(file) === recorded)
    ) {
      return zip;
    }
  }
  const { contents, inputs } = build(props);
  const digest = createHash("sha256").update(contents).digest("hex").slice(0, 16);
  const zip = path.join(BUNDLE_ROOT, digest, "archive.zip");
  writeAtomically(zip, fflate().zipSync({ [BUNDLE_FILE]: [contents, { mtime: ZIP_MTIME }] }, { level: 9 }));
  const record: CacheRecord = { key, digest, inputs: Object.fromEntries(inputs.map((file) => [file, stamp(file)])) };
  writeAtomically(cacheFile, Buffer.from(JSON.stringify(record)));
  return zip;
}

// Concurrent synths (parallel tests) may write the same file: each writes its own temporary file and renames it.
function writeAtomically(file: string, contents: Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

/**
 * Bundles a TypeScript Lambda handler with esbuild (ESM, minified, dependencies included) during synth, zips it
 * reproducibly and ships the zip as a {@link TerraformAsset}.
 */
export class BundledCode extends Construct {
  public readonly asset: TerraformAsset;

  constructor(scope: Construct, id: string, props: BundledCodeProps) {
    super(scope, id);
    this.asset = new TerraformAsset(this, "asset", { path: bundledZip(props), type: AssetType.FILE });
  }

  /**
   * What every function of the stack that runs this code has in common: the package and its handler, Node.js 22 on
   * arm64, the execution role, and X-Ray active tracing unless `tracing` is false.
   */
  functionProps(executionRoleArn: string, tracing = true) {
    return {
      role: executionRoleArn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: BUNDLE_HANDLER,
      filename: this.asset.path,
      sourceCodeHash: this.asset.assetHash,
      tracingConfig: { mode: tracing ? "Active" : "PassThrough" },
    };
  }
}
