import type { AccessMap } from "../access-map/access-map";
import type { PlanJson } from "../access-map/terraform-values";
import type { VerifyContext } from "./context";
import type { Deployment } from "./deployment";
import { type CheckResult, failed, ok, skipped } from "./outcome";

/**
 * The state as the access map reads a plan's prior state: each resource located by its ARN, else by the
 * `allowed_account_ids` and region of its provider in the synthesized configuration it was applied from.
 */
export function stateAsPlan(deployment: Pick<Deployment, "state" | "synthesized">): PlanJson {
  const providerKey = (alias?: string) => (alias ? `aws.${alias}` : "aws");
  const provider_config = Object.fromEntries(
    (deployment.synthesized.provider?.aws ?? []).map((provider) => [
      providerKey(provider.alias),
      {
        expressions: {
          allowed_account_ids: { constant_value: provider.allowed_account_ids },
          region: { constant_value: provider.region },
        },
      },
    ]),
  );
  const resources = Object.entries(deployment.synthesized.resource ?? {}).flatMap(([type, blocks]) =>
    Object.entries(blocks).map(([name, block]) => ({
      address: `${type}.${name}`,
      provider_config_key: typeof block.provider === "string" ? block.provider : "aws",
    })),
  );
  return {
    prior_state: deployment.state,
    configuration: { provider_config, root_module: { resources } },
  } as PlanJson;
}

/** The access map of what is deployed, read from the state. */
export async function deployedAccessMap(deployment: Pick<Deployment, "state" | "synthesized">): Promise<AccessMap> {
  const [{ accessMap }, { inventoryOf }, { priorStateInstances }] = await Promise.all([
    import("../access-map/access-map"),
    import("../access-map/inventory"),
    import("../access-map/terraform-values"),
  ]);
  return accessMap(inventoryOf(priorStateInstances(stateAsPlan(deployment))));
}

/** Access: the deployed access map against the baseline; access beyond it fails, naming each new access. */
export async function checkAccess(context: VerifyContext, onMap?: (map: AccessMap) => void): Promise<CheckResult[]> {
  const check = "the deployed access is within the baseline";
  const map = await deployedAccessMap(context.deployment);
  onMap?.(map);
  if (!context.baseline)
    return [skipped(check, `no baseline given (--baseline FILE); ${map.rows.length} accesses deployed`)];
  const { checkAgainst } = await import("../access-map/report");
  const { grown, shrunk } = checkAgainst(context.baseline.map, map);
  if (grown.length > 0) return [failed(check, `${grown.length} beyond ${context.baseline.name}: ${grown.join("; ")}`)];
  const less = shrunk.length > 0 ? `, ${shrunk.length} fewer than the baseline` : "";
  return [ok(check, `${map.rows.length} accesses, none beyond ${context.baseline.name}${less}`)];
}
