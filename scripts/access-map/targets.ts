import type { PolicyDocument } from "../../stacks/policy-document";
import { ACTIONS } from "./actions";
import type { Target } from "./evaluate";
import type { IamInventory, StackResource } from "./inventory";

/** One thing the map asks about: what a row calls it, the request's target and the actions that matter on it. */
export interface AccessTarget {
  /** The resource as a row names it: an ARN, or an ARN pattern such as `bucket/prefix/*`. */
  readonly label: string;
  readonly accountId: string;
  readonly target: Target;
  readonly actions: readonly string[];
}

const SAMPLE = "access-map-sample";

/** Object ARN patterns under a bucket that any policy of the stack names (`bucket/prefix/*`), else `bucket/*`. */
function objectPatterns(bucketArn: string, documents: readonly PolicyDocument[]): string[] {
  const patterns = new Set<string>();
  for (const document of documents)
    for (const statement of document.Statement)
      for (const resource of ([] as string[]).concat(statement.Resource ?? []))
        if (resource.startsWith(`${bucketArn}/`)) patterns.add(resource);
  return patterns.size > 0 ? [...patterns].sort() : [`${bucketArn}/*`];
}

/** Every target of the stack's resources, and per account the creation of anything new (`iam:*`, `*` grants). */
export function accessTargets(inventory: IamInventory): AccessTarget[] {
  const documents = [
    ...inventory.principals.flatMap((principal) => principal.identityPolicies.map((named) => named.policy)),
    ...inventory.resources.flatMap((resource) => (resource.resourcePolicy ? [resource.resourcePolicy] : [])),
  ];
  const of = (resource: StackResource, label: string, arn: string, actions: readonly string[]): AccessTarget => ({
    label,
    accountId: resource.accountId,
    target: {
      arn,
      accountId: resource.accountId,
      resourcePolicy: resource.resourcePolicy,
      restrictPublicBuckets: resource.restrictPublicBuckets,
    },
    actions,
  });
  const targets = inventory.resources.flatMap((resource): AccessTarget[] => {
    const { arn } = resource;
    switch (resource.kind) {
      case "table":
        return [of(resource, arn, arn, ACTIONS.table)];
      case "bucket":
        return [
          of(resource, arn, arn, ACTIONS.bucket),
          ...objectPatterns(arn, documents).map((pattern) =>
            of(resource, pattern, pattern.replaceAll("*", SAMPLE), ACTIONS.objects),
          ),
        ];
      case "log-group":
        return [
          of(resource, `${arn}:log-stream:*`, `${arn}:log-stream:${SAMPLE}`, ACTIONS.logStreams),
          of(resource, arn, arn, ACTIONS.logGroup),
        ];
      case "role":
        return [of(resource, arn, arn, ACTIONS.role)];
      case "function":
        return [of(resource, arn, arn, ACTIONS.function)];
      default:
        throw new Error(`no actions known for ${resource.kind} ${arn}`);
    }
  });
  const accounts = new Map(inventory.principals.map((principal) => [principal.accountId, principal.partition]));
  for (const resource of inventory.resources)
    if (!accounts.has(resource.accountId)) accounts.set(resource.accountId, resource.arn.split(":")[1]);
  for (const [accountId, partition] of [...accounts].sort()) {
    const label = `arn:${partition}:iam::${accountId}:role/*`;
    targets.push({
      label,
      accountId,
      target: { arn: `arn:${partition}:iam::${accountId}:role/${SAMPLE}`, accountId },
      actions: ACTIONS.account,
    });
  }
  return targets;
}
