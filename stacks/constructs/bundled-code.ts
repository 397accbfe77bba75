import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { buildSync } from "esbuild";

/** Where bundles are written before cdktf copies them into its output; content-addressed, so safe to share. */
const BUNDLE_ROOT = path.resolve(__dirname, "..", "..", ".build", "bundles");

/** The file name and export the bundle's Lambda handler setting points to. */
export const BUNDLE_HANDLER = "index.handler";

export interface BundledCodeProps {
  /** TypeScript entry point exporting `handler`. */
  readonly entry: string;
  /**
   * Module to bundle instead of `@aws-sdk/credential-provider-node`, the SDK's default credential chain.
   * @default - the SDK's own chain
   */
  readonly credentialChain?: string;
}

/**
 * Bundles a TypeScript Lambda handler with esbuild (ESM, minified, dependencies included) during synth and wraps
 * it in a zip {@link TerraformAsset}.
 */
export class BundledCode extends Construct {
  public readonly asset: TerraformAsset;

  constructor(scope: Construct, id: string, props: BundledCodeProps) {
    super(scope, id);
    const result = buildSync({
      entryPoints: [props.entry],
      outfile: "index.mjs",
      bundle: true,
      write: false,
      platform: "node",
      target: "node22",
      format: "esm",
      mainFields: ["module", "main"],
      minify: true,
      legalComments: "none",
      logLevel: "silent",
      alias: props.credentialChain ? { "@aws-sdk/credential-provider-node": props.credentialChain } : {},
      // Some bundled CommonJS dependencies call require() for Node built-ins.
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    });
    const output = result.outputFiles?.[0];
    if (!output) throw new Error(`esbuild produced no output for ${props.entry}`);
    const digest = createHash("sha256").update(output.contents).digest("hex").slice(0, 16);
    const directory = path.join(BUNDLE_ROOT, digest);
    mkdirSync(directory, { recursive: true });
    const temporary = path.join(directory, `.index.mjs.${process.pid}`);
    writeFileSync(temporary, output.contents);
    renameSync(temporary, path.join(directory, "index.mjs"));

    this.asset = new TerraformAsset(this, "asset", { path: directory, type: AssetType.ARCHIVE });
  }
}
