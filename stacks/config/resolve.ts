import * as v from "valibot";
import type { CrossAccountConfig } from "./cross-account-config";
import { DEFAULTS, destinationsOf, resourceNamesOf } from "./defaults";
import { ConfigError } from "./errors";
import { INVENTORY_RULES, inventoryOf } from "./inventory";
import { organizationWriterOf } from "./organization-writer";
import { CONFIG_RULES } from "./rules";
import { type ConfigFile, configFileSchema } from "./schema";
import { sourcePrincipalsOf } from "./source-principals";
import { vendingOf } from "./vending";

/** The config file's fields against {@link configFileSchema}; throws {@link ConfigError} naming every bad field. */
function parseConfigFile(input: unknown): ConfigFile {
  // One problem per value: a pipe stops at its first failing check.
  const parsed = v.safeParse(configFileSchema, input, { abortPipeEarly: true });
  if (parsed.success) return parsed.output;
  throw new ConfigError(
    parsed.issues.map((issue) => {
      const path = (issue.path ?? []).map((item) => item.key as PropertyKey);
      // An unknown key's issue carries that key as the last path item: name the object it is in.
      const where = issue.type === "strict_object" && issue.expected === "never" ? path.slice(0, -1) : path;
      return `${where.length === 0 ? "config" : where.map(String).join(".")} ${issue.message}`;
    }),
  );
}

/** Validates raw input (parsed JSON) and fills in defaults. Throws {@link ConfigError} listing every problem. */
export function resolveConfig(input: unknown): CrossAccountConfig {
  const file = parseConfigFile(input);
  const destinations = destinationsOf(file);
  const problems = [...CONFIG_RULES, ...INVENTORY_RULES].flatMap((rule) => rule.check(file, destinations));
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }

  return {
    source: file.source,
    destinations,
    names: resourceNamesOf(file, destinations),
    externalId: file.externalId,
    organizationId: file.organizationId,
    trustMode: file.trustMode ?? DEFAULTS.trustMode,
    trustedPrincipals: file.trustedPrincipals ?? [],
    maxSessionDurationSeconds: file.maxSessionDurationSeconds ?? DEFAULTS.maxSessionDurationSeconds,
    writerSessionDurationSeconds: file.writerSessionDurationSeconds ?? DEFAULTS.writerSessionDurationSeconds,
    logRetentionDays: file.logRetentionDays ?? DEFAULTS.logRetentionDays,
    tracing: file.tracing ?? DEFAULTS.tracing,
    allowDataDeletion: file.allowDataDeletion ?? DEFAULTS.allowDataDeletion,
    emulator: file.emulator,
    stateBackend: file.stateBackend && { ...file.stateBackend, key: file.stateBackend.key ?? DEFAULTS.stateKey },
    sourcePrincipals: sourcePrincipalsOf(file),
    ...(file.vending ? { vending: vendingOf(file) } : {}),
    ...(file.inventory ? { inventory: inventoryOf(file.inventory, file.organizationId) } : {}),
    ...(file.organizationWriter ? { organizationWriter: organizationWriterOf(file, file.organizationWriter) } : {}),
  };
}
