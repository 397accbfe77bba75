import type { CrossAccountConfig } from "../../stacks/config";
import { checkAccount } from "./accounts";
import { checkBucketName } from "./bucket-names";
import { type CheckResult, skipped } from "./check";
import { namedPrincipals } from "./named-principals";
import { checkOrganization } from "./organization";
import { checkPrincipal, type NamedPrincipal, skippedPrincipal } from "./principals";
import { reachPathOf } from "./reach";
import { checkRegion } from "./regions";
import { checkStateBackend } from "./state-backend";
import { accountTargets, organizationNeeds, type ReachedAccount, targetKey, wantedBuckets } from "./targets";
import {
  checkEmulator,
  checkNode,
  checkProvider,
  checkTerraform,
  findTerraform,
  registryAnswers,
  type TerraformFound,
} from "./tools";
import { checkWorkingFolder } from "./working-folder";

/** How the doctor runs. */
export interface DoctorOptions {
  /** Where AWS settings (AWS_PROFILE, AWS_CONFIG_FILE, ...) and TERRAFORM_BINARY_NAME come from. */
  readonly env: NodeJS.ProcessEnv;
  /** The project root, where the working folders are. */
  readonly root: string;
  /**
   * Only the accounts, the users and roles of theirs the policies name, and where the local state is: what
   * `npm run plan` and `npm run deploy` check before Terraform (a missing principal fails the deploy half made; state
   * left at the old place would make them plan every resource anew). @default false
   */
  readonly credentialsOnly?: boolean;
  /** Asks registry.terraform.io when there is no offline mirror. @default - an HTTPS request, at most 3 s */
  readonly probeRegistry?: () => Promise<boolean>;
  /** @default - runs `terraform version -json` */
  readonly findTerraform?: (env: NodeJS.ProcessEnv) => Promise<TerraformFound>;
}

/** Every check of the config, concurrently: each account's path first, then what needs that account. */
export async function runDoctor(config: CrossAccountConfig, options: DoctorOptions): Promise<CheckResult[]> {
  const { env } = options;
  const targets = accountTargets(config);
  if (options.credentialsOnly) {
    const { checked } = principalsByTarget(config, targets);
    const accounts = await Promise.all(
      targets.map(async (target) => {
        const path = reachPathOf(target, config.emulator);
        const identity = await checkAccount(target, path, env);
        if (identity.status !== "ok") return [identity];
        const principals = checked.get(targetKey(target)) ?? [];
        return [identity, ...(await Promise.all(principals.map((principal) => checkPrincipal(principal, path, env))))];
      }),
    );
    return [checkWorkingFolder(config, env, options.root), ...accounts.flat()];
  }
  const terraformFound = (options.findTerraform ?? findTerraform)(env);
  const tools = Promise.all([
    checkNode(),
    terraformFound.then((found) => checkTerraform(found, config)),
    checkProvider(env, options.probeRegistry ?? registryAnswers),
    checkEmulator(config),
  ]);
  const { checked, notChecked } = principalsByTarget(config, targets);
  const perAccount = Promise.all(
    targets.map((target) =>
      accountAndDependents(config, target, checked.get(targetKey(target)) ?? [], terraformFound, env),
    ),
  );
  const results = [
    ...(await tools),
    checkWorkingFolder(config, env, options.root),
    ...(await perAccount).flat(),
    ...notChecked,
  ];
  return results;
}

/**
 * The principals to check through each account path (the first path that reaches the principal's account), and the
 * rows of those not checked: roles the stack makes, and principals of accounts the config does not reach.
 */
function principalsByTarget(
  config: CrossAccountConfig,
  targets: readonly ReachedAccount[],
): { checked: Map<string, NamedPrincipal[]>; notChecked: CheckResult[] } {
  const checked = new Map<string, NamedPrincipal[]>();
  const notChecked: CheckResult[] = [];
  for (const { principal, madeByStack } of namedPrincipals(config)) {
    const target = targets.find((candidate) => candidate.accountId === principal.accountId);
    if (madeByStack) {
      notChecked.push(
        skippedPrincipal(principal, `${madeByStack}: the stack makes it, so it need not exist before the deploy`),
      );
    } else if (!target) {
      notChecked.push(
        skippedPrincipal(
          principal,
          `account ${principal.accountId} is not one the config reaches; AWS checks it at deploy`,
        ),
      );
    } else {
      const key = targetKey(target);
      checked.set(key, [...(checked.get(key) ?? []), principal]);
    }
  }
  return { checked, notChecked };
}

async function accountAndDependents(
  config: CrossAccountConfig,
  target: ReachedAccount,
  principals: readonly NamedPrincipal[],
  terraformFound: Promise<TerraformFound>,
  env: NodeJS.ProcessEnv,
): Promise<CheckResult[]> {
  const path = reachPathOf(target, config.emulator);
  const identity = await checkAccount(target, path, env);
  const key = targetKey(target);
  const buckets = wantedBuckets(config).filter((wanted) => wanted.key === key);
  const needs = organizationNeeds(config);
  const holdsOrganization =
    !!needs && targetKey({ ...needs.organization, roleArn: needs.organization.deployRoleArn }) === key;
  const state = config.stateBackend;
  const holdsState = !!state && targetKey(state) === key;
  if (identity.status !== "ok") {
    const why = `account ${target.accountId} is not reached (see its row)`;
    return [
      identity,
      ...target.regions.map((region) => skipped("regions", `region ${region} in ${target.accountId}`, why)),
      ...(holdsOrganization ? [skipped("organization", `organization of ${target.accountId}`, why)] : []),
      ...(holdsState && state ? [skipped("state", `bucket ${state.bucket}`, why)] : []),
      ...buckets.map(({ bucket }) => skipped("names", `bucket ${bucket.name}`, why)),
      ...principals.map((principal) => skippedPrincipal(principal, why)),
    ];
  }
  const dependents = await Promise.all([
    ...target.regions.map((region) => checkRegion(target, region, path, env).then((result) => [result])),
    ...(holdsOrganization && needs ? [checkOrganization(needs, needs.organization, path, env)] : []),
    ...(holdsState && state ? [terraformFound.then((found) => checkStateBackend(state, path, found, env))] : []),
    ...buckets.map(({ bucket }) => checkBucketName(bucket, path, env).then((result) => [result])),
    ...principals.map((principal) => checkPrincipal(principal, path, env).then((result) => [result])),
  ]);
  return [identity, ...dependents.flat()];
}
