import { type DestinationConfig, keepsSingularForm } from "../config";

/**
 * Construct ids and names of the writer's resources for one destination. The destination of the singular config
 * form keeps the ones the stack has always given it, so moving to `destinations` replaces nothing.
 */
export function writerIds(destination: Pick<DestinationConfig, "name" | "accountId">) {
  return {
    /** The writer's `sts:AssumeRole` policy for that role, and its name on the writer's execution role. */
    assumePolicy: `assume-${destination.name}-policy`,
    assumePolicyName: keepsSingularForm(destination)
      ? `sts-access-to-${destination.accountId}`
      : `sts-access-to-${destination.name}`,
  };
}
