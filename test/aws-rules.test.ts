import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

// docs/aws-rules.md lists every AWS rule the emulator does not enforce, with its documentation page and the tests
// tagged `[aws-rule <id>]` that encode it. This keeps the page and the tags true to each other.
const ROOT = path.resolve(__dirname, "..");
const PAGE = "docs/aws-rules.md";
const SELF = "test/aws-rules.test.ts";
/** Hosts of official documentation: AWS's own, and HashiCorp's for the rules of Terraform itself. */
const OFFICIAL_HOSTS = ["docs.aws.amazon.com", "aws.amazon.com", "repost.aws", "developer.hashicorp.com"];
const NOT_YET_ENCODED = "Not yet encoded";
const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const TAG_PATTERN = /\[aws-rule ([^\]\s]+)\]/g;

/** One row of the page: a rule, where it is written, and (when encoded) the tests that carry its tag. */
interface RuleRow {
  readonly id: string;
  readonly section: string;
  readonly rule: string;
  readonly urls: readonly string[];
  /** Test files the row lists, or for a rule not yet encoded, the reason. */
  readonly last: string;
  readonly encoded: boolean;
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((cell) => cell.trim());

/** Every table row whose first cell is a backticked id, with the `##` section it is in. */
function parseRows(markdown: string): RuleRow[] {
  let section = "";
  const rows: RuleRow[] = [];
  for (const line of markdown.split("\n")) {
    if (line.startsWith("## ")) section = line.slice(3).trim();
    if (!line.trimStart().startsWith("|")) continue;
    const [first, rule = "", documentation = "", last = ""] = cells(line);
    const id = /^`([^`]+)`$/.exec(first)?.[1];
    if (id === undefined) continue;
    const urls = documentation.match(/https?:\/\/[^\s,|]+/g) ?? [];
    rows.push({ id, section, rule, urls, last, encoded: section !== NOT_YET_ENCODED });
  }
  return rows;
}

/** The ids each test file's tags name. */
function tagsOf(tests: ReadonlyMap<string, string>): Map<string, Set<string>> {
  const tags = new Map<string, Set<string>>();
  for (const [file, text] of tests) {
    tags.set(file, new Set([...text.matchAll(TAG_PATTERN)].map(([, id]) => id)));
  }
  return tags;
}

const isOfficial = (url: string) => {
  if (!url.startsWith("https://")) return false;
  const host = new URL(url).hostname;
  return OFFICIAL_HOSTS.some((official) => host === official || host.endsWith(`.${official}`));
};

/** What is wrong with one row, each problem naming the id and what is missing. */
function problemsOfRow(row: RuleRow, tags: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const { id } = row;
  const tag = `[aws-rule ${id}]`;
  const problems: string[] = [];
  if (!ID_PATTERN.test(id)) problems.push(`${id}: the id must be kebab-case (lowercase letters, digits, hyphens)`);
  if (row.rule === "") problems.push(`${id}: no rule text`);
  if (!row.urls.some(isOfficial)) {
    problems.push(`${id}: no https URL of official documentation (${OFFICIAL_HOSTS.join(", ")})`);
  }
  const tagged = [...tags].filter(([, ids]) => ids.has(id)).map(([file]) => file);
  if (!row.encoded) {
    if (row.last === "") problems.push(`${id}: not yet encoded, but no reason given`);
    for (const file of tagged)
      problems.push(`${id}: ${file} carries ${tag}: move the rule out of "${NOT_YET_ENCODED}"`);
    return problems;
  }
  const listed = [...row.last.matchAll(/`([^`]+)`/g)].map(([, file]) => file);
  if (listed.length === 0) problems.push(`${id}: its row lists no test file`);
  if (tagged.length === 0) problems.push(`${id}: no test under test/ carries ${tag}`);
  for (const file of listed) {
    if (!tags.has(file)) problems.push(`${id}: lists ${file}, which is not a test file under test/`);
    else if (!tagged.includes(file)) problems.push(`${id}: lists ${file}, which does not carry ${tag}`);
  }
  for (const file of tagged.filter((file) => !listed.includes(file))) {
    problems.push(`${id}: ${file} carries ${tag} but is not listed in its row`);
  }
  return problems;
}

/** Tags that name no encoded rule of the page, and ids listed twice. */
function pageProblems(rows: readonly RuleRow[], tags: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const encoded = new Set(rows.filter((row) => row.encoded).map((row) => row.id));
  const ids = rows.map((row) => row.id);
  return [
    ...[...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))].map((id) => `${id}: listed more than once`),
    ...[...tags].flatMap(([file, fileIds]) =>
      [...fileIds]
        .filter((id) => !encoded.has(id))
        .map((id) => `${file}: [aws-rule ${id}] names no encoded rule of ${PAGE}`),
    ),
  ];
}

/** Every .ts file under test/ but this one, by its path from the project root. */
function testFiles(): Map<string, string> {
  return new Map(
    readdirSync(path.join(ROOT, "test"), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
      .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
      .filter((file) => file !== SELF)
      .map((file) => [file, readFileSync(path.join(ROOT, file), "utf8")]),
  );
}

const rows = parseRows(readFileSync(path.join(ROOT, PAGE), "utf8"));
const tags = tagsOf(testFiles());

describe(`${PAGE}: every AWS rule with its documentation and its tests`, () => {
  test("lists the rules, grouped by service, with a section for those not yet encoded", () => {
    expect(rows.length).toBeGreaterThan(30);
    expect(new Set(rows.map((row) => row.section))).toEqual(
      new Set([
        "STS and IAM",
        "Lambda",
        "EventBridge and CloudWatch Logs",
        "S3",
        "DynamoDB",
        "CloudFormation StackSets and Organizations",
        "Terraform",
        NOT_YET_ENCODED,
      ]),
    );
  });

  test.each(rows.map((row) => [row.id, row] as const))(
    "%s has a rule, an official documentation page, and its listed tests carry its tag",
    (_id, row) => {
      expect(problemsOfRow(row, tags)).toEqual([]);
    },
  );

  test("every [aws-rule <id>] tag under test/ names an encoded rule of the page, and no id is listed twice", () => {
    expect(pageProblems(rows, tags)).toEqual([]);
  });
});

describe("the check itself", () => {
  const page = [
    "## S3",
    "| id | rule | AWS documentation | tests |",
    "|---|---|---|---|",
    "| `good-rule` | A rule. | https://docs.aws.amazon.com/a.html | `test/a.test.ts` |",
    "| `Bad_Id` | | https://example.com/blog | |",
    "| `untagged` | A rule. | https://repost.aws/knowledge-center/x | `test/b.test.ts`, `test/gone.test.ts` |",
    `## ${NOT_YET_ENCODED}`,
    "| `later` | A rule. | https://developer.hashicorp.com/terraform | |",
    "| `tagged-later` | A rule. | https://docs.aws.amazon.com/b.html | needs a real account |",
  ].join("\n");
  const files = new Map([
    ["test/a.test.ts", 'test("x [aws-rule good-rule]") [aws-rule tagged-later]'],
    ["test/b.test.ts", 'describe("y [aws-rule good-rule] [aws-rule nowhere]")'],
  ]);
  const parsed = parseRows(page);
  const fileTags = tagsOf(files);
  const problems = (id: string) => problemsOfRow(parsed.find((row) => row.id === id)!, fileTags);

  test("reads each row's id, section, rule, URLs and last cell, skipping headers", () => {
    expect(parsed.map(({ id, section, encoded }) => [id, section, encoded])).toEqual([
      ["good-rule", "S3", true],
      ["Bad_Id", "S3", true],
      ["untagged", "S3", true],
      ["later", NOT_YET_ENCODED, false],
      ["tagged-later", NOT_YET_ENCODED, false],
    ]);
    expect(parsed[2].urls).toEqual(["https://repost.aws/knowledge-center/x"]);
  });

  test("fails naming the id and what is missing", () => {
    expect(problems("Bad_Id")).toEqual([
      "Bad_Id: the id must be kebab-case (lowercase letters, digits, hyphens)",
      "Bad_Id: no rule text",
      `Bad_Id: no https URL of official documentation (${OFFICIAL_HOSTS.join(", ")})`,
      "Bad_Id: its row lists no test file",
      "Bad_Id: no test under test/ carries [aws-rule Bad_Id]",
    ]);
    expect(problems("untagged")).toEqual([
      "untagged: no test under test/ carries [aws-rule untagged]",
      "untagged: lists test/b.test.ts, which does not carry [aws-rule untagged]",
      "untagged: lists test/gone.test.ts, which is not a test file under test/",
    ]);
  });

  test("a test carrying the tag must be listed in the row", () => {
    expect(problems("good-rule")).toEqual([
      "good-rule: test/b.test.ts carries [aws-rule good-rule] but is not listed in its row",
    ]);
  });

  test("a rule not yet encoded needs a reason and must carry no tag", () => {
    expect(problems("later")).toEqual(["later: not yet encoded, but no reason given"]);
    expect(problems("tagged-later")).toEqual([
      `tagged-later: test/a.test.ts carries [aws-rule tagged-later]: move the rule out of "${NOT_YET_ENCODED}"`,
    ]);
  });

  test("a tag must name an encoded rule; an id may be listed once", () => {
    expect(pageProblems([...parsed, parsed[0]], fileTags)).toEqual([
      "good-rule: listed more than once",
      `test/a.test.ts: [aws-rule tagged-later] names no encoded rule of ${PAGE}`,
      `test/b.test.ts: [aws-rule nowhere] names no encoded rule of ${PAGE}`,
    ]);
  });
});
