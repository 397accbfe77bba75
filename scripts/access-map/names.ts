import { ADMIN_ACTIONS } from "./actions";

/**
 * The account of an ARN, or undefined for a service principal or an S3 ARN. A role a StackSet makes in each account
 * of an OU (or the root) carries that OU's id instead.
 */
export function accountOfArn(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return /^(\d{12}|ou-[a-z0-9]+-[a-z0-9]+|r-[a-z0-9]+)$/.test(account ?? "") ? account : undefined;
}

/** How the picture names an account: "account <id>", or "each account of <OU or root id>". */
export const accountLabel = (account: string): string =>
  /^\d{12}$/.test(account) ? `account ${account}` : `each account of ${account}`;

/** A short name for a principal or resource: `role/name`, `table wd-ddb-table (us-east-1)`, `bucket b/records/*`. */
export function shortName(arn: string): string {
  if (!arn.startsWith("arn:")) return arn;
  const [, , service, region, , ...rest] = arn.split(":");
  // The same table name in two regions of one account is two tables: the region tells them apart.
  const tail = rest.join(":") + (region && service !== "iam" ? ` (${region})` : "");
  switch (service) {
    case "iam":
      return tail === "root" ? `account ${accountOfArn(arn)}` : tail;
    case "dynamodb":
      return `table ${tail.replace(/^table\//, "")}`;
    case "s3":
      return `bucket ${tail}`;
    case "logs":
      return `log group ${tail.replace(/^log-group:/, "")}`;
    case "lambda":
      return `function ${tail.replace(/^function:/, "")}`;
    default:
      return tail;
  }
}

/** The verb a picture shows for an action: assume, put, get, delete, list or admin. */
export function verbOf(action: string): string {
  if (action === "sts:AssumeRole") return "assume";
  if (ADMIN_ACTIONS.has(action)) return "admin";
  const name = action.split(":")[1] ?? action;
  if (/^(Put|BatchWrite|Update|Create)/.test(name)) return "put";
  if (/^(Get|Query|Scan|BatchGet)/.test(name)) return "get";
  if (/^Delete/.test(name)) return "delete";
  if (/^(List|Describe)/.test(name)) return "list";
  if (/^Invoke/.test(name)) return "invoke";
  return name;
}

/** The distinct verbs of some actions, in a fixed order. */
export function verbsOf(actions: readonly string[]): string[] {
  const order = ["assume", "invoke", "put", "get", "delete", "list", "admin"];
  const verbs = [...new Set(actions.map(verbOf))];
  return verbs.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
}
