import type { CheckOutcome, CheckStatus } from "./outcome";

const MARK: Record<CheckStatus, string> = { ok: "ok     ", failed: "FAILED ", skipped: "skipped" };

/** One check as a line, printed as it ends: `ok      writer  destination: ...  <detail>`. */
export function outcomeLine(outcome: CheckOutcome): string {
  return `${MARK[outcome.status]} ${outcome.pattern.padEnd(17)} ${outcome.check}: ${outcome.detail}`;
}

/** How many checks ended each way. */
export function countsOf(outcomes: readonly CheckOutcome[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { ok: 0, failed: 0, skipped: 0 };
  for (const outcome of outcomes) counts[outcome.status] += 1;
  return counts;
}

/** The summary: a row per pattern with its counts, and the verdict line. */
export function summaryTable(outcomes: readonly CheckOutcome[]): string {
  const patterns = [...new Set(outcomes.map((outcome) => outcome.pattern))];
  const rows = patterns.map((pattern) => {
    const counts = countsOf(outcomes.filter((outcome) => outcome.pattern === pattern));
    const verdict = counts.failed > 0 ? "FAILED" : counts.ok > 0 ? "ok" : "skipped";
    return `| ${pattern.padEnd(17)} | ${verdict.padEnd(7)} | ${String(counts.ok).padStart(2)} | ${String(counts.failed).padStart(6)} | ${String(counts.skipped).padStart(7)} |`;
  });
  const total = countsOf(outcomes);
  const verdict =
    total.failed > 0
      ? `verify FAILED: ${total.failed} of ${outcomes.length} checks failed`
      : `verify: all ok (${total.ok} ok, ${total.skipped} skipped)`;
  return [
    "| pattern           | result  | ok | failed | skipped |",
    "|-------------------|---------|----|--------|---------|",
    ...rows,
    "",
    verdict,
  ].join("\n");
}
