import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { listTargetAccounts } from "../../functions/inventory/accounts";
import { roleCredentials } from "../../functions/inventory/credentials";
import { INVENTORY_DEFAULTS } from "../../functions/inventory/environment";
import { lambdaFunctions } from "../../functions/inventory/listers/lambda-functions";
import { type StatusRow, scan } from "../../functions/inventory/scan";
import { INVENTORY_NAMES } from "../../stacks/config/inventory";
import type { ScanCommand } from "./arguments";
import { type CliOutput, progressLine, rowPrinter } from "./output";

/** Who the caller is, for the refusal; undefined when STS cannot say. */
async function callerArn(sts: STSClient): Promise<string | undefined> {
  try {
    return (await sts.send(new GetCallerIdentityCommand({})))?.Arn;
  } catch {
    return undefined;
  }
}

/**
 * Why AssumeRole was refused and what to do, when it was: AWS answers AccessDenied alike for a role that is missing
 * and for one whose trust does not name the caller. Empty when no account refused.
 */
export function refusalHint(roleName: string, refused: readonly string[], caller: string | undefined): string {
  if (refused.length === 0) return "";
  const you = caller ? `you (${caller})` : "you";
  const accounts = `${refused.length} account${refused.length === 1 ? "" : "s"} (${refused.slice(0, 5).join(", ")}${refused.length > 5 ? ", ..." : ""})`;
  const why =
    roleName === INVENTORY_DEFAULTS.roleName
      ? `${roleName} is the inventory function's role: its trust policy names only the function's execution role (${INVENTORY_NAMES.executionRole}), not ${you}.`
      : `${roleName} is missing there, or its trust policy does not name ${you}.`;
  return [
    `AccessDenied on sts:AssumeRole of ${roleName} in ${accounts}: ${why}`,
    "To list them: pass --role-name with a role that exists in each account and trusts you (OrganizationAccountAccessRole",
    `trusts the management account), or run the deployed function: --via-function ${INVENTORY_NAMES.functionName}.`,
    "",
  ].join("\n");
}

/** Lists the functions from here with the caller's credentials, assuming the command's role in each account. */
export async function scanHere(command: ScanCommand, output: CliOutput): Promise<number> {
  const endpoint = command.endpoint ? { endpoint: command.endpoint } : {};
  const sts = new STSClient({ region: command.stsRegion, retryMode: "adaptive", maxAttempts: 5, ...endpoint });
  const organizations =
    command.targets.organizationalUnitIds.length === 0
      ? undefined
      : new OrganizationsClient({
          region: command.stsRegion,
          retryMode: "adaptive",
          ...endpoint,
          ...(command.organizationRoleArn ? { credentials: roleCredentials(sts, command.organizationRoleArn) } : {}),
        });
  const targets = await listTargetAccounts(organizations, command.targets);
  const printer = rowPrinter(command.format, command.runtimes, output);
  await scan(targets, {
    sts,
    stsRegion: command.stsRegion,
    roleName: command.roleName,
    regions: command.regions,
    concurrency: command.concurrency,
    listers: [lambdaFunctions],
    ...(command.deadlineSeconds ? { deadline: Date.now() + command.deadlineSeconds * 1000 } : {}),
    ...endpoint,
    onAccount: (progress) => output.stderr(progressLine(progress)),
    onRow: (row) => printer.onRow(row),
  });
  const code = printer.finish();
  const refused = [
    ...new Set(
      printer.statuses
        .filter((row: StatusRow) => row.status === "access-denied" && row.phase === "assume-role")
        .map((row) => row.account),
    ),
  ];
  if (refused.length > 0) output.stderr(refusalHint(command.roleName, refused, await callerArn(sts)));
  return code;
}
