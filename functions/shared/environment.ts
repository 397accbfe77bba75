/** Lambda's limit on all environment variables of a function together (names and values). */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;

/** Bytes an environment takes against Lambda's 4 KB limit (names and values). */
export function environmentBytes(environment: Readonly<Record<string, string>>): number {
  return Object.entries(environment).reduce(
    (total, [name, value]) => total + Buffer.byteLength(name) + Buffer.byteLength(value),
    0,
  );
}
