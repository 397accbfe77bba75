import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { roleCredentials } from "./credentials";
import { readInventorySettings } from "./environment";
import { type InventorySummary, runInventory } from "./inventory";
import { narrowingOf } from "./narrowing";
import { newRunId } from "./report";

export type { InventorySummary } from "./inventory";

// Created once per execution environment and reused by every invocation.
const settings = readInventorySettings(process.env);
const retries = { retryMode: "adaptive", maxAttempts: 5 } as const;
const sts = new STSClient({ region: settings.stsRegion, ...retries });
const s3 = new S3Client({ region: process.env.AWS_REGION ?? settings.stsRegion, ...retries });
const organizations = settings.organizationRoleArn
  ? new OrganizationsClient({
      region: settings.stsRegion,
      credentials: roleCredentials(sts, settings.organizationRoleArn),
      ...retries,
    })
  : undefined;

/** The part of Lambda's context the handler uses. */
export interface InventoryContext {
  getRemainingTimeInMillis(): number;
}

/**
 * Lists the Lambda functions of every target account and region into a JSON Lines report in S3 and returns its
 * summary. An event `{"only": {"accountId", "region"?}}` narrows the run to one target account (and region): never
 * wider than the configuration (functions/inventory/narrowing.ts). Work stops starting DEADLINE_MARGIN_SECONDS before the function's timeout; what was not done is in the
 * report as `not-scanned`.
 */
export async function handler(event: unknown, context: InventoryContext): Promise<InventorySummary> {
  const only = narrowingOf(event);
  const deadline = Date.now() + context.getRemainingTimeInMillis() - settings.deadlineMarginSeconds * 1000;
  return runInventory({ sts, s3, ...(organizations ? { organizations } : {}) }, settings, {
    runId: newRunId(new Date()),
    deadline,
    ...(only ? { only } : {}),
  });
}
