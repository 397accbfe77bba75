import { CHECK_GROUPS, type CheckResult } from "./check";

/** The results in table order: by group, then as they came. */
export function ordered(results: readonly CheckResult[]): CheckResult[] {
  return CHECK_GROUPS.flatMap((group) => results.filter((result) => result.group === group));
}

/** "2 problems, 9 ok, 1 skipped". */
export function summary(results: readonly CheckResult[]): string {
  const count = (status: CheckResult["status"]) => results.filter((result) => result.status === status).length;
  const problems = count("problem");
  return `${problems} problem${problems === 1 ? "" : "s"}, ${count("ok")} ok, ${count("skipped")} skipped`;
}

/** One table: a row per check; a problem's fix on the line below its detail. */
export function doctorTable(results: readonly CheckResult[]): string {
  const rows = ordered(results);
  const groupWidth = Math.max(5, ...rows.map((row) => row.group.length));
  const subjectWidth = Math.max(7, ...rows.map((row) => row.subject.length));
  const line = (group: string, subject: string, status: string, detail: string) =>
    `${group.padEnd(groupWidth)}  ${subject.padEnd(subjectWidth)}  ${status.padEnd(7)}  ${detail}`.trimEnd();
  const lines = [line("check", "subject", "status", "detail"), line("-----", "-------", "------", "------")];
  for (const row of rows) {
    lines.push(line(row.group, row.subject, row.status === "problem" ? "PROBLEM" : row.status, row.detail));
    if (row.fix) lines.push(`${" ".repeat(groupWidth + subjectWidth + 13)}fix: ${row.fix}`);
  }
  lines.push("", summary(rows));
  return lines.join("\n");
}

/** The machine-readable answer of `--json`. */
export function doctorJson(config: string, results: readonly CheckResult[], seconds?: number): string {
  const rows = ordered(results);
  return JSON.stringify(
    { config, ok: rows.every((row) => row.status !== "problem"), summary: summary(rows), seconds, checks: rows },
    null,
    2,
  );
}
