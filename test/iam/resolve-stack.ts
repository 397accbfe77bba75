import { type CrossAccountConfigInput, resolveConfig } from "../../stacks/config";
import { synthesize } from "../synth";
import { ResolvedStack } from "./resolved-stack";

/** Synthesizes a config and resolves it, for the IAM matrix. */
export function resolveStack(input: CrossAccountConfigInput): ResolvedStack {
  return new ResolvedStack(synthesize(input), resolveConfig(input));
}
