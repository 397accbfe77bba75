// The kind of a cross-field rule, below every section that has rules and rules.ts that lists them all.
import type { ConfigFile } from "./schema";
import type { DestinationConfig } from "./types";

/** A check across fields of a well-formed config file; each problem names the field, the value and what is allowed. */
export interface ConfigRule {
  /** Kebab-case, used in test names. */
  readonly name: string;
  /** The problems of `file`, whose `destinations` are already resolved with their defaults; none when it passes. */
  check(file: ConfigFile, destinations: readonly DestinationConfig[]): string[];
}
