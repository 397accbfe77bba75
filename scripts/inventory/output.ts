import { LAMBDA_FUNCTION, type LambdaFunctionRow } from "../../functions/inventory/listers/lambda-functions";
import type { AccountProgress, StatusRow } from "../../functions/inventory/scan";

export const FORMATS = ["table", "jsonl", "csv"] as const;
export type Format = (typeof FORMATS)[number];

/** Runtime patterns (`nodejs16.x`, `nodejs1*`, `python3.?`), comma-separated, as one test; `*` and `?` are globs. */
export function runtimeMatcher(patterns: readonly string[]): (runtime: string | undefined) => boolean {
  const expressions = patterns.map((pattern) => {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    return new RegExp(`^${source}$`);
  });
  return (runtime) => runtime !== undefined && expressions.some((expression) => expression.test(runtime));
}

const CSV_COLUMNS = [
  "account",
  "region",
  "name",
  "runtime",
  "architectures",
  "memorySize",
  "timeout",
  "codeSize",
  "lastModified",
  "packageType",
  "role",
  "arn",
] as const;

function csvField(value: unknown): string {
  const text = Array.isArray(value) ? value.join(" ") : value === undefined ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvHeader = () => `${CSV_COLUMNS.join(",")}\n`;

export function csvLine(row: LambdaFunctionRow): string {
  return `${CSV_COLUMNS.map((column) => csvField(row[column])).join(",")}\n`;
}

/** Columns of the table, in order: what people look for first when hunting deprecated runtimes. */
const TABLE_COLUMNS: ReadonlyArray<readonly [string, (row: LambdaFunctionRow) => string]> = [
  ["ACCOUNT", (row) => row.account],
  ["REGION", (row) => row.region],
  ["FUNCTION", (row) => row.name],
  ["RUNTIME", (row) => row.runtime ?? `(${row.packageType ?? "none"})`],
  ["ARCH", (row) => row.architectures.join(",")],
  ["MEMORY", (row) => (row.memorySize === undefined ? "" : String(row.memorySize))],
  ["LAST MODIFIED", (row) => row.lastModified?.slice(0, 19) ?? ""],
];

/** A plain-text table of functions, sorted by account, region and name. */
export function table(rows: readonly LambdaFunctionRow[]): string {
  const sorted = [...rows].sort(
    (a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.name.localeCompare(b.name),
  );
  const cells = [
    TABLE_COLUMNS.map(([title]) => title),
    ...sorted.map((row) => TABLE_COLUMNS.map(([, cell]) => cell(row))),
  ];
  const widths = TABLE_COLUMNS.map((_, column) => Math.max(...cells.map((line) => line[column].length)));
  return `${cells
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

/** One progress line per account: `[3/12] 222222222222 (prod): 2 ok, 1 access-denied; 14 functions`. */
export function progressLine(progress: AccountProgress): string {
  const statuses = Object.entries(progress.statuses)
    .map(([status, count]) => `${count} ${status}`)
    .join(", ");
  const name = progress.name ? ` (${progress.name})` : "";
  return `[${progress.done}/${progress.total}] ${progress.account}${name}: ${statuses}; ${progress.rows} functions\n`;
}

/** What was not listed completely, one line each, for stderr. Empty when everything is `ok` or `skipped`. */
export function problemLines(statuses: readonly StatusRow[]): string {
  return statuses
    .filter((row) => row.status !== "ok")
    .map((row) => `${row.account} ${row.region} ${row.status}${row.message ? `: ${row.message}` : ""}\n`)
    .join("");
}

/** Where the command prints: results on stdout, progress and problems on stderr. */
export interface CliOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * Prints rows as they come, in a format, keeping only functions whose runtime matches; `finish` prints the table
 * (which needs every row) and what was not listed completely, and returns the exit status: 0, or 3 for problems.
 */
export function rowPrinter(format: Format, runtimes: readonly string[] | undefined, output: CliOutput) {
  const matches = runtimes ? runtimeMatcher(runtimes) : () => true;
  const functions: LambdaFunctionRow[] = [];
  const statuses: StatusRow[] = [];
  if (format === "csv") output.stdout(csvHeader());
  return {
    statuses,
    onRow(row: { type: string }): void {
      if (row.type === "status") statuses.push(row as StatusRow);
      else if (row.type === LAMBDA_FUNCTION && !matches((row as LambdaFunctionRow).runtime)) return;
      if (format === "jsonl") output.stdout(`${JSON.stringify(row)}\n`);
      else if (row.type === LAMBDA_FUNCTION && format === "csv") output.stdout(csvLine(row as LambdaFunctionRow));
      else if (row.type === LAMBDA_FUNCTION) functions.push(row as LambdaFunctionRow);
    },
    finish(): number {
      if (format === "table") output.stdout(table(functions));
      const problems = problemLines(statuses.filter((row) => row.status !== "skipped"));
      const skipped = problemLines(statuses.filter((row) => row.status === "skipped"));
      if (skipped) output.stderr(`skipped:\n${skipped}`);
      if (problems) output.stderr(`not listed completely:\n${problems}`);
      return problems ? 3 : 0;
    },
  };
}
