import { ConfigError, EXAMPLE_CONFIG, resolveConfig } from "../stacks/config";

/** The embedded example with some of its source's fields replaced. */
export const withSource = (source: Record<string, unknown>) => ({
  ...EXAMPLE_CONFIG,
  source: { ...EXAMPLE_CONFIG.source, ...source },
});
/** The embedded example with some of its destination's fields replaced. */
export const withDestination = (destination: Record<string, unknown>) => ({
  ...EXAMPLE_CONFIG,
  destination: { ...EXAMPLE_CONFIG.destination, ...destination },
});
/** The embedded example's source with `destinations` instead of the singular destination. */
export const withDestinations = (...destinations: Record<string, unknown>[]) => ({
  source: EXAMPLE_CONFIG.source,
  destinations,
});
/** A destination of the `destinations` form in the example's destination account. */
export const analytics = { name: "analytics", accountId: "222222222222", region: "us-east-1" };
/** Ten destinations in as many accounts, all with the table name `table`. */
export const tenDestinations = (table: string) =>
  withDestinations(
    ...Array.from({ length: 10 }, (_, index) => ({
      name: `d${index}`,
      accountId: String(222222222220 + index),
      region: "ap-southeast-4",
      table,
    })),
  );

/** The problems resolveConfig lists for `input`; fails the test when it resolves or throws anything else. */
export function problemsOf(input: unknown): readonly string[] {
  try {
    resolveConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}
