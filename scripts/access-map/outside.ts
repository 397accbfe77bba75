import { matches } from "./conditions";
import type { IamInventory } from "./inventory";
import type { AccessTarget } from "./targets";

/** What a principal of the stack is allowed on resources that are none of the stack's, as its policy writes it. */
export interface OutsideGrant {
  readonly principal: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** The statement's conditions, as `<operator> <key> <values>`. */
  readonly conditions: readonly string[];
}

const ASSUME = "sts:AssumeRole";

/**
 * The Allow statements of the stack's principals, reduced to the actions and resources the map does not evaluate:
 * an action on a resource pattern is evaluated when a target of the map is that very resource or pattern and is
 * asked about that action (for sts:AssumeRole, a role of the stack or of its StackSets). The rest is on resources
 * the stack does not hold (X-Ray's `*`, lambda:ListFunctions, Organizations' OUs) or reaches further than what the
 * stack holds (a role name in every account of an organization): listed with its conditions, not evaluated.
 */
export function outsideGrants(inventory: IamInventory, targets: readonly AccessTarget[]): OutsideGrant[] {
  const roles = inventory.principals.filter((principal) => principal.kind === "role").map((role) => role.arn);
  const evaluated = (action: string, pattern: string) =>
    action === ASSUME
      ? roles.includes(pattern)
      : targets.some(
          (entry) =>
            entry.actions.some((asked) => matches(action, asked)) && [entry.label, entry.target.arn].includes(pattern),
        );
  const grants = inventory.principals.flatMap((principal) =>
    principal.identityPolicies
      .flatMap((named) => named.policy.Statement)
      .filter((statement) => statement.Effect === "Allow" && statement.Resource !== undefined)
      .flatMap((statement) => {
        const actions = [statement.Action].flat();
        const resources = [statement.Resource ?? []].flat();
        const outside = actions.filter((action) => resources.some((pattern) => !evaluated(action, pattern)));
        const where = resources.filter((pattern) => actions.some((action) => !evaluated(action, pattern)));
        const conditions = Object.entries(statement.Condition ?? {}).flatMap(([operator, entries]) =>
          Object.entries(entries).map(([key, values]) => `${operator} ${key} ${[values].flat().join(" or ")}`),
        );
        return outside.length > 0 ? [{ principal: principal.arn, actions: outside, resources: where, conditions }] : [];
      }),
  );
  return grants.sort((a, b) => a.principal.localeCompare(b.principal));
}

/** One outside grant in its smallest form: a principal may take one action on one resource pattern, when ... */
interface OutsideAccess {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly conditions: readonly string[];
}

const accessesOf = (grants: readonly OutsideGrant[] = []): OutsideAccess[] =>
  grants.flatMap(({ principal, actions, resources, conditions }) =>
    actions.flatMap((action) => resources.map((resource) => ({ principal, action, resource, conditions }))),
  );

/**
 * Sentences for the outside grants of `after` that `before` does not cover: none of the same principal, action and
 * resource, or one with conditions the new one no longer has (a loosened condition is growth too).
 */
export function outsideGrown(
  sign: "NEW" | "REMOVED",
  before: readonly OutsideGrant[] | undefined,
  after: readonly OutsideGrant[] | undefined,
): string[] {
  const known = accessesOf(before);
  const grown = accessesOf(after).filter(
    (grant) =>
      !known.some(
        (old) =>
          old.principal === grant.principal &&
          old.action === grant.action &&
          old.resource === grant.resource &&
          old.conditions.every((condition) => grant.conditions.includes(condition)),
      ),
  );
  const byTarget = new Map<string, OutsideAccess[]>();
  for (const grant of grown) {
    const key = [grant.principal, grant.resource, ...grant.conditions].join("\u0000");
    byTarget.set(key, [...(byTarget.get(key) ?? []), grant]);
  }
  return [...byTarget.values()]
    .map((group) => {
      const [{ principal, resource, conditions }] = group;
      const when = conditions.length > 0 ? ` when ${conditions.join(", ")}` : "";
      const actions = group.map((grant) => grant.action).join(", ");
      return `${sign}: ${principal} may ${actions} on ${resource} (outside the stack's resources)${when}`;
    })
    .sort();
}
