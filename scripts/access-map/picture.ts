import { type AccessMap, type AccessRow, DIRECTLY } from "./access-map";
import { accountLabel, accountOfArn, shortName, verbsOf } from "./names";

/** The edges a picture draws: who assumes which role, and what each principal's own session does to what. */
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly assume: boolean;
}

/** Only direct rows: access through a role is the assume edge followed by the role's own edges. */
function edgesOf(map: AccessMap): Edge[] {
  const merged = new Map<string, { row: AccessRow; actions: Set<string>; conditions: Set<string> }>();
  for (const row of map.rows.filter((candidate) => candidate.via === DIRECTLY)) {
    const key = `${row.principal}\u0000${row.resource}`;
    const entry = merged.get(key) ?? { row, actions: new Set<string>(), conditions: new Set<string>() };
    for (const action of row.actions) entry.actions.add(action);
    for (const condition of row.conditions) entry.conditions.add(condition);
    merged.set(key, entry);
  }
  return [...merged.values()].map(({ row, actions, conditions }) => {
    const verbs = verbsOf([...actions]);
    const shortConditions = [...conditions].map((condition) => condition.replace(/ required$/, "")).sort();
    const label = verbs.join("/") + (shortConditions.length > 0 ? ` (${shortConditions.join(", ")})` : "");
    return { from: row.principal, to: row.resource, label, assume: verbs.includes("assume") };
  });
}

/** Every node of the picture by account ("" for principals outside any account, such as AWS services). */
function nodesByAccount(map: AccessMap, edges: readonly Edge[]): Map<string, string[]> {
  const nodes = new Set([...map.roles, ...edges.flatMap((edge) => [edge.from, edge.to])]);
  const accounts = new Map<string, string[]>();
  for (const node of [...nodes].sort()) {
    const account = accountOfArn(node) ?? (node.startsWith("arn:") ? accountOfResource(map, node) : "");
    accounts.set(account, [...(accounts.get(account) ?? []), node]);
  }
  // Accounts in order, principals outside any account (AWS services) last.
  return new Map([...accounts].sort(([a], [b]) => (a === "" ? 1 : b === "" ? -1 : a.localeCompare(b))));
}

/** S3 ARNs carry no account: a bucket belongs to the account of the roles that reach it directly. */
function accountOfResource(map: AccessMap, resource: string): string {
  const row = map.rows.find((candidate) => candidate.resource === resource && candidate.via === DIRECTLY);
  return (row && accountOfArn(row.principal)) ?? "";
}

/** Short, stable node ids (n0, n1, ...) in order of first use. */
function nodeIds(): (node: string) => string {
  const ids = new Map<string, string>();
  return (node) => {
    if (!ids.has(node)) ids.set(node, `n${ids.size}`);
    return ids.get(node) as string;
  };
}

const quote = (text: string) => `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`;
/** The kind, the name and the region on lines of their own: narrow nodes, readable at any zoom. */
const twoLines = (node: string) =>
  shortName(node)
    .replace(/^(table|bucket|log group|function|role|user|group|account) /, "$1\n")
    .replace(/^(role|user)\//, "$1\n")
    .replace(/ \(([a-z0-9-]+)\)$/, "\n$1");
const isPrincipal = (map: AccessMap, node: string) => map.principals.some((principal) => principal.arn === node);

/** Graphviz DOT: accounts as clusters, principals and roles as boxes, resources as cylinders. */
export function toDot(map: AccessMap): string {
  const edges = edgesOf(map);
  const id = nodeIds();
  const lines = [
    "digraph access {",
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.3, ranksep=1.0, bgcolor="white"];',
    '  node [fontname="Helvetica", fontsize=11, style="rounded,filled", shape=box, margin="0.35,0.12"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const [account, nodes] of nodesByAccount(map, edges)) {
    const indent = account ? "    " : "  ";
    if (account)
      lines.push(
        `  subgraph cluster_${account.replaceAll("-", "_")} {`,
        `    label=${quote(accountLabel(account))}; style=rounded; color="gray50";`,
      );
    for (const node of nodes) {
      const role = map.roles.includes(node);
      const principal = isPrincipal(map, node);
      const [shape, fill] = role ? ["box", "#dbeafe"] : principal ? ["box", "#fef3c7"] : ["cylinder", "#dcfce7"];
      lines.push(`${indent}${id(node)} [label=${quote(twoLines(node))}, shape=${shape}, fillcolor=${quote(fill)}];`);
    }
    if (account) lines.push("  }");
  }
  for (const edge of edges) {
    const style = edge.assume ? ', color="#1d4ed8", penwidth=1.6' : ', color="#15803d"';
    lines.push(`  ${id(edge.from)} -> ${id(edge.to)} [label=${quote(edge.label)}${style}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** The same picture as a Mermaid flowchart, for pages that render Mermaid. */
export function toMermaid(map: AccessMap): string {
  const edges = edgesOf(map);
  const id = nodeIds();
  const text = (value: string) => value.replaceAll('"', "#quot;");
  const lines = ["flowchart LR"];
  for (const [account, nodes] of nodesByAccount(map, edges)) {
    if (account) lines.push(`  subgraph a${account.replaceAll("-", "_")}["${accountLabel(account)}"]`);
    for (const node of nodes) {
      const label = text(shortName(node));
      const shape = map.roles.includes(node) || isPrincipal(map, node) ? `["${label}"]` : `[("${label}")]`;
      lines.push(`    ${id(node)}${shape}`);
    }
    if (account) lines.push("  end");
  }
  for (const edge of edges) lines.push(`  ${id(edge.from)} -- "${text(edge.label)}" --> ${id(edge.to)}`);
  return `${lines.join("\n")}\n`;
}

/** The picture as SVG, rendered by Graphviz compiled to WebAssembly (no browser, no native binary). */
export async function toSvg(map: AccessMap): Promise<string> {
  const svg = (await graphviz()).renderString(toDot(map), { format: "svg" });
  // A title on the root element: screen readers announce it, and viewers show it as the image's name.
  return svg.replace(/(<svg\b[^>]*>)/, "$1\n<title>Access map: who can reach what</title>");
}

let loading: ReturnType<typeof import("@viz-js/viz").instance> | undefined;
/** Graphviz, compiled once per process (the WebAssembly module takes a moment to start). */
export function graphviz(): ReturnType<typeof import("@viz-js/viz").instance> {
  loading ??= import("@viz-js/viz").then((viz) => viz.instance());
  return loading;
}
