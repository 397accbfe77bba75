/**
 * Imported first by main.ts, before cdktf and the provider bindings load.
 *
 * tsx turns on Node's source maps. cdktf and @cdktf/provider-aws ship an inline source map in every file, which Node
 * then reads as each module loads, and cdktf captures a stack trace for every reference it makes (about 75 in this
 * stack), each frame of which Node maps back through those source maps: together some 80 ms of every synth, for
 * stack traces a synth never shows (its errors are reported by message). NODE_OPTIONS=--enable-source-maps keeps
 * them on for debugging.
 */
const requested = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].includes(
  "--enable-source-maps",
);
if (!requested) process.setSourceMapsEnabled(false);

export {};
