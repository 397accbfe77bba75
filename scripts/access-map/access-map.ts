import type { PolicyDocument } from "../../stacks/policy-document";
import { conditionLabel, mayAllow, suppliedContext } from "./conditions";
import {
  ASSUME_ANY_ROLE,
  assumeTarget,
  type Caller,
  type ContextValues,
  evaluate,
  principal,
  roleSession,
  servicePrincipal,
  type Target,
} from "./evaluate";
import { directInvokeFindings, type Finding } from "./findings";
import type { IamInventory, StackPrincipal } from "./inventory";
import { namedPrincipals, offeredTo } from "./named-principals";
import { type OutsideGrant, outsideGrants } from "./outside";
import type { ResolvedRole } from "./resolved";
import { type AccessTarget, accessTargets } from "./targets";

/** Who the map evaluates: a role or user of the stack, or a principal a trust or resource policy names. */
export interface MapPrincipal {
  readonly arn: string;
  readonly kind: "role" | "user" | "external" | "service";
  /** What the map assumes about a principal whose own policies it cannot see. */
  readonly assumption?: string;
}

/** One access: a principal, directly or through a role it assumes, may take these actions on one resource. */
export interface AccessRow {
  readonly principal: string;
  /** The role whose session acts, or "directly" (the principal's own policies, or the assumption itself). */
  readonly via: string;
  readonly resource: string;
  readonly actions: readonly string[];
  /** Conditions the request must meet (MFA, ExternalId, org, source account...), from the trust or resource policy. */
  readonly conditions: readonly string[];
}

export interface AccessMap {
  readonly version: 1;
  readonly principals: readonly MapPrincipal[];
  readonly roles: readonly string[];
  readonly rows: readonly AccessRow[];
  /** Grants on resources the stack does not hold, listed as written. @default none (maps written before them) */
  readonly outside?: readonly OutsideGrant[];
  /** Accesses that defeat a control the stack relies on, named. @default none (left out when there are none) */
  readonly findings?: readonly Finding[];
}

export const DIRECTLY = "directly";
export const ASSUME = "sts:AssumeRole";
const SESSION = "access-map";
const EXTERNAL_ASSUMPTION =
  "not in the stack: assumed to hold an identity policy that allows sts:AssumeRole and what the stack's resource policies offer it, on *";

interface Actor {
  readonly principal: MapPrincipal;
  readonly caller: Caller;
  readonly user: boolean;
  readonly stack?: StackPrincipal;
}

function actorsOf(inventory: IamInventory): Actor[] {
  const partitions = new Map(inventory.principals.map((known) => [known.accountId, known.partition]));
  const partitionOf = (account: string) => partitions.get(account) ?? "aws";
  const trusts = inventory.principals.flatMap((known) => (known.trustPolicy ? [known.trustPolicy] : []));
  const resourcePolicies = inventory.resources.flatMap((resource) =>
    resource.resourcePolicy ? [resource.resourcePolicy] : [],
  );
  const known = new Set(inventory.principals.map((entry) => entry.arn));
  const named = namedPrincipals([...trusts, ...resourcePolicies], partitionOf);
  return [
    ...inventory.principals.map((stack) => ({
      principal: { arn: stack.arn, kind: stack.kind, ...(stack.madeBy ? { assumption: stack.madeBy } : {}) },
      caller:
        stack.kind === "role"
          ? roleSession(stack as unknown as ResolvedRole, SESSION)
          : principal(stack.arn, stack.identityPolicies),
      user: stack.kind === "user",
      stack,
    })),
    ...named.aws
      .filter((arn) => !known.has(arn))
      .map((arn) => ({
        principal: { arn, kind: "external" as const, assumption: EXTERNAL_ASSUMPTION },
        caller: principal(arn, [ASSUME_ANY_ROLE, ...offeredTo(arn, resourcePolicies)]),
        user: !/:role\//.test(arn),
      })),
    ...named.services.map((service) => ({
      principal: { arn: service, kind: "service" as const },
      caller: servicePrincipal(service),
      user: false,
    })),
  ];
}

/**
 * The conditions under which the evaluator allows the request, or undefined when it denies it even with every
 * suppliable condition met. A condition is listed when leaving out its key turns the answer into a deny.
 */
async function decide(actor: Actor, action: string, target: Target): Promise<string[] | undefined> {
  // What the resource (or trust) policy and the caller's own policies require of the request, met.
  const context = Object.assign(
    {},
    ...actor.caller.identityPolicies.map((named) =>
      suppliedContext(named.policy, action, actor.user, actor.caller.context),
    ),
    suppliedContext(target.resourcePolicy, action, actor.user, actor.caller.context),
  ) as ContextValues;
  const allowed = async (values: ContextValues) =>
    (await evaluate(actor.caller, action, target, values)).decision === "Allowed";
  if (!(await allowed(context))) return undefined;
  const keys = Object.keys(context);
  if (keys.length === 0 || (await allowed({}))) return [];
  const needed: string[] = [];
  for (const key of keys) {
    const { [key]: _left, ...rest } = context;
    if (!(await allowed(rest))) needed.push(conditionLabel(key, context[key]));
  }
  return needed.sort();
}

/** What an actor may do on every target it can reach: same-account targets, and any with a resource policy. */
async function reach(actor: Actor, targets: readonly AccessTarget[], via: string, extra: readonly string[] = []) {
  const rows: AccessRow[] = [];
  const own = actor.caller.identityPolicies.map((named) => named.policy);
  const account = actor.caller.context["aws:PrincipalAccount"];
  for (const entry of targets) {
    if (entry.accountId !== account && !entry.target.resourcePolicy) continue;
    const actions: string[] = [];
    const conditions = new Set(extra);
    for (const action of entry.actions) {
      if (!mayAllow([...own, entry.target.resourcePolicy], action, entry.target.arn)) continue;
      const needed = await decide(actor, action, entry.target);
      if (!needed) continue;
      actions.push(action);
      for (const condition of needed) conditions.add(condition);
    }
    if (actions.length > 0)
      rows.push({
        principal: actor.principal.arn,
        via,
        resource: entry.label,
        actions,
        conditions: [...conditions].sort(),
      });
  }
  return rows;
}

/** Evaluates every principal against every role and resource of the inventory with the tests' IAM evaluator. */
export async function accessMap(inventory: IamInventory): Promise<AccessMap> {
  const actors = actorsOf(inventory);
  const targets = accessTargets(inventory);
  const roles = inventory.principals.filter((entry) => entry.kind === "role");
  const sessions = new Map<string, AccessRow[]>();
  const rows: AccessRow[] = [];
  for (const actor of actors) {
    if (actor.stack) {
      const direct = await reach(actor, targets, DIRECTLY);
      sessions.set(actor.stack.arn, direct);
      rows.push(...direct);
    } else if (actor.principal.kind === "service" || actor.caller.identityPolicies.length > 1) {
      rows.push(
        ...(await reach(
          actor,
          targets.filter((entry) => entry.target.resourcePolicy),
          DIRECTLY,
        )),
      );
    }
  }
  for (const actor of actors) {
    for (const role of roles) {
      if (role.arn === actor.principal.arn || !mayAllow([role.trustPolicy], ASSUME)) continue;
      // Across accounts the caller's own policies must allow it too; a service has none and is let through.
      const account = actor.caller.context["aws:PrincipalAccount"];
      const own = actor.caller.identityPolicies.map((named) => named.policy);
      if (account !== undefined && account !== role.accountId && !mayAllow(own, ASSUME, role.arn)) continue;
      const needed = await decide(
        actor,
        ASSUME,
        assumeTarget({ ...role, trustPolicy: role.trustPolicy as PolicyDocument }),
      );
      if (!needed) continue;
      rows.push({
        principal: actor.principal.arn,
        via: DIRECTLY,
        resource: role.arn,
        actions: [ASSUME],
        conditions: needed,
      });
      for (const session of sessions.get(role.arn) ?? [])
        rows.push({
          ...session,
          principal: actor.principal.arn,
          via: role.arn,
          conditions: [...new Set([...needed, ...session.conditions])].sort(),
        });
    }
  }
  const sorted = sortRows(rows);
  const findings = directInvokeFindings(inventory, sorted);
  return {
    version: 1,
    principals: actors.map((actor) => actor.principal).sort((a, b) => a.arn.localeCompare(b.arn)),
    roles: roles.map((role) => role.arn).sort(),
    rows: sorted,
    outside: outsideGrants(inventory, targets),
    // Only when there are some, so maps (and baselines) of stacks without findings read as before.
    ...(findings.length > 0 ? { findings } : {}),
  };
}

/** Rows in a stable order: principal, then direct access before access through a role, then role, then resource. */
export function sortRows(rows: readonly AccessRow[]): AccessRow[] {
  const key = (row: AccessRow) => [row.principal, row.via === DIRECTLY ? "" : row.via, row.resource].join("\u0000");
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
