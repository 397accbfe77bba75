import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { CrossAccountConfigInput } from "../../stacks/config";
import { REAL_ACCOUNTS, SynthesizedStack, synthesize, type TerraformBlock, type TerraformJson } from "../synth";
import type { Rule } from ".";
import * as controls from ".";

// The stacks the control rules are checked on, the non-compliant copies made from them, and the findings expected.

// Each config is synthesized once, and only when a test needs it.
export function once(input: CrossAccountConfigInput): () => SynthesizedStack {
  let synth: SynthesizedStack | undefined;
  return () => (synth ??= synthesize(input));
}
/** The config for real accounts: the compliant case of every met control. */
export const realStack = once(REAL_ACCOUNTS);
/** The trust on the source account's root, restricted by aws:PrincipalArn, with an ExternalId and an organization. */
export const rootedStack = once({
  ...REAL_ACCOUNTS,
  trustMode: "account-with-principal-arn",
  externalId: "partner-7f3a",
  organizationId: "o-a1b2c3d4e5",
});

export const SOURCE_ACCOUNT = REAL_ACCOUNTS.source.accountId;
export const DESTINATION_ACCOUNT = REAL_ACCOUNTS.destination!.accountId;
export const MET_RULES = controls.ALL_RULES.filter((rule) => rule.notMet === undefined);

/** A deep copy of a synthesized stack with one change: the non-compliant case next to the compliant one. */
export function mutated(change: (copy: SynthesizedStack) => void, base: SynthesizedStack = realStack()): TerraformJson {
  const copy = new SynthesizedStack(structuredClone(base.json), base.stack);
  change(copy);
  return copy.json;
}

export type Statement = Record<string, unknown>;

/** Rewrites the statements of a policy argument (a JSON string with Terraform references inside). */
export function editPolicy(block: TerraformBlock, argument: string, edit: (statements: Statement[]) => void): void {
  const document = JSON.parse(block[argument] as string) as { Statement: Statement[] };
  edit(document.Statement);
  block[argument] = JSON.stringify(document);
}

export function bySid(statements: Statement[], sid: string): Statement {
  const statement = statements.find((candidate) => candidate.Sid === sid);
  if (!statement) throw new Error(`no statement ${sid}`);
  return statement;
}

export function addResource(copy: SynthesizedStack, type: string, id: string, block: TerraformBlock): void {
  const json = copy.json as { resource: Record<string, Record<string, TerraformBlock>> };
  json.resource[type] = { ...json.resource[type], [id]: block };
}

export function removeResources(copy: SynthesizedStack, type: string): void {
  delete copy.json.resource?.[type];
}

/** Terraform address (`type.id`) of the single resource of a type (with an attribute value) in the real stack. */
export function address(type: string, attribute = "", value?: unknown): string {
  return `${type}.${realStack().resource(type, attribute, value).id}`;
}

/** The finding a rule should report: its id, the resource's address and a part of the message. */
export function finding(rule: Rule, resource: string, message: string) {
  return { rule: rule.id, resource, message: expect.stringContaining(message) };
}

/** Addresses of the real stack's single bucket, table and function. */
export const BUCKET = () => address("aws_s3_bucket");
export const TABLE = () => address("aws_dynamodb_table");
export const FUNCTION = () => address("aws_lambda_function");

const SECURITY_PAGE = path.resolve(__dirname, "..", "..", "docs", "security.md");

/** The controls table of the security page: the lines between `## Controls` and the paragraph on deleting data. */
export function securityTable(): string[] {
  const page = readFileSync(SECURITY_PAGE, "utf8");
  const start = page.indexOf("## Controls");
  const end = page.indexOf("**Deleting data is an opt-in.**", start);
  if (start < 0 || end < 0) {
    throw new Error(`${SECURITY_PAGE} has no "## Controls" section ending at "**Deleting data is an opt-in.**"`);
  }
  return page
    .slice(start, end)
    .split("\n")
    .filter((line) => line.startsWith("| "));
}

/** The row of the security page's table whose control cell starts with an id, or "" without one. */
export function securityRow(id: string): string {
  return securityTable().find((line) => line.startsWith(`| ${id}`)) ?? "";
}
