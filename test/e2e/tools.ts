import { INSTALL_HINTS, missingTools } from "../../scripts/lib/emulator";

/**
 * `describe` when terraform and moto_server are on PATH. Without them the suite fails in CI (CI=true) and is
 * reported skipped elsewhere, with the missing tools named loudly either way.
 */
export function describeWithTools(name: string, body: () => void): void {
  const missing = missingTools(["terraform", "moto_server"]);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const message = `EMULATOR TESTS "${name}" NEED ${missing.join(" AND ")} ON PATH:\n${missing.map((tool) => `  - ${tool}: ${INSTALL_HINTS[tool]}`).join("\n")}`;
  if (process.env.CI) {
    describe(name, () => {
      test("has terraform and moto_server on PATH", () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`\n${"!".repeat(80)}\nSKIPPED: ${message}\n${"!".repeat(80)}\n`);
  describe.skip(name, body);
}
