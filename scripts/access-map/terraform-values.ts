import { partitionOf } from "./partition";

/** A managed resource of a configuration, state or plan: its type, logical id, where it lives and its arguments. */
export interface ResourceInstance {
  readonly type: string;
  readonly id: string;
  /** Account and region of its provider; undefined only when neither the provider nor its ARN says. */
  readonly accountId?: string;
  readonly region?: string;
  /** Its arguments and attributes; strings may hold `${type.id.attribute}` references (synthesized JSON). */
  readonly values: Record<string, unknown>;
}

type Block = Record<string, unknown>;
interface ProviderBlock {
  alias?: string;
  allowed_account_ids?: string[];
  region?: string;
}

/** Resources of a synthesized stack (cdk.tf.json), each located by the `allowed_account_ids` of its provider. */
export function synthesizedInstances(json: {
  provider?: { aws?: ProviderBlock[] };
  resource?: Record<string, Record<string, Block>>;
}): ResourceInstance[] {
  const providers = new Map((json.provider?.aws ?? []).map((provider) => [`aws.${provider.alias ?? ""}`, provider]));
  return Object.entries(json.resource ?? {}).flatMap(([type, blocks]) =>
    Object.entries(blocks).map(([id, values]) => {
      const key = typeof values.provider === "string" ? values.provider : "aws.";
      const provider = providers.get(key);
      const accountId = provider?.allowed_account_ids?.length === 1 ? provider.allowed_account_ids[0] : undefined;
      if (!accountId) {
        throw new Error(
          `${type}.${id} names provider ${key}, which has ${provider ? "no single allowed_account_ids entry" : "no block"}; the access map needs each provider's one allowed account`,
        );
      }
      return { type, id, accountId, region: provider?.region, values };
    }),
  );
}

/** The parts of `terraform show -json <plan>` the access map reads. */
export interface PlanJson {
  resource_changes?: Array<{
    type: string;
    name: string;
    address: string;
    mode?: string;
    change: { actions: string[]; after?: Block | null; after_unknown?: Block };
  }>;
  prior_state?: { values?: { root_module?: { resources?: Array<StateResource> } } };
  configuration?: {
    provider_config?: Record<string, { expressions?: Record<string, { constant_value?: unknown }> }>;
    root_module?: { resources?: Array<{ address: string; provider_config_key?: string }> };
  };
}
interface StateResource {
  address: string;
  mode?: string;
  type: string;
  name: string;
  values: Block;
}

/** The account and region of each configured resource address, from its provider's constant arguments. */
function configuredLocations(plan: PlanJson): Map<string, { accountId?: string; region?: string }> {
  const locations = new Map<string, { accountId?: string; region?: string }>();
  for (const resource of plan.configuration?.root_module?.resources ?? []) {
    const provider = plan.configuration?.provider_config?.[resource.provider_config_key ?? "aws"]?.expressions;
    const accounts = provider?.allowed_account_ids?.constant_value;
    const region = provider?.region?.constant_value;
    locations.set(resource.address, {
      accountId: Array.isArray(accounts) && accounts.length === 1 ? String(accounts[0]) : undefined,
      region: typeof region === "string" ? region : undefined,
    });
  }
  return locations;
}

/** Account and region from an ARN (`arn:partition:service:region:account:...`), where it has them. */
function locationOfArn(values: Block): { accountId?: string; region?: string } {
  const parts = typeof values.arn === "string" ? values.arn.split(":") : [];
  return { accountId: /^\d{12}$/.test(parts[4] ?? "") ? parts[4] : undefined, region: parts[3] || undefined };
}

/** The resources as they are before the plan: `prior_state` (empty without state). */
export function priorStateInstances(plan: PlanJson): ResourceInstance[] {
  const configured = configuredLocations(plan);
  return (plan.prior_state?.values?.root_module?.resources ?? [])
    .filter((resource) => (resource.mode ?? "managed") === "managed")
    .map((resource) => {
      const fromArn = locationOfArn(resource.values);
      const fromProvider = configured.get(resource.address) ?? {};
      return {
        type: resource.type,
        id: resource.name,
        accountId: fromArn.accountId ?? fromProvider.accountId,
        region: fromArn.region ?? fromProvider.region,
        values: resource.values,
      };
    });
}

/**
 * The resources as the plan leaves them: every change's `after`. A value Terraform learns only at apply
 * (`after_unknown`) is taken from the synthesized block of the same address, whose references the access map then
 * resolves from account and name; without that block the value stays unknown and whoever reads it must say so.
 */
export function plannedInstances(
  plan: PlanJson,
  synthesized?: Record<string, Record<string, Block>>,
): ResourceInstance[] {
  const configured = configuredLocations(plan);
  return (plan.resource_changes ?? [])
    .filter((change) => (change.mode ?? "managed") === "managed" && change.change.after)
    .map((change) => {
      const values: Block = { ...(change.change.after as Block) };
      const source = synthesized?.[change.type]?.[change.name];
      for (const [key, unknown] of Object.entries(change.change.after_unknown ?? {})) {
        // A map or block with an unknown element (a StackSet's parameter that is a role's ARN) is unknown as a whole.
        if (!hasUnknown(unknown)) continue;
        if (source && source[key] !== undefined) values[key] = source[key];
        else delete values[key];
      }
      // A role's inline_policy is computed: unset in the config, the plan carries the state's, stale once the plan
      // changes an aws_iam_role_policy. The role policies themselves are in the plan.
      if (change.type === "aws_iam_role" && source && source.inline_policy === undefined) delete values.inline_policy;
      const location = configured.get(change.address) ?? {};
      return { type: change.type, id: change.name, ...locationOfArn(values), ...dropUndefined(location), values };
    });
}

/** Whether an `after_unknown` entry marks the value, or any element of it, as unknown until apply. */
function hasUnknown(entry: unknown): boolean {
  return entry === true || (typeof entry === "object" && entry !== null && Object.values(entry).some(hasUnknown));
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/** IAM paths and ARN formats of the resource types the access map knows by name. */
const ARN_FORMATS: Record<string, { name: string; arn: (p: string, region: string, account: string) => string }> = {
  aws_iam_role: { name: "name", arn: (p, _r, a) => `arn:${p}:iam::${a}:role` },
  aws_iam_user: { name: "name", arn: (p, _r, a) => `arn:${p}:iam::${a}:user` },
  aws_iam_group: { name: "name", arn: (p, _r, a) => `arn:${p}:iam::${a}:group` },
  aws_iam_policy: { name: "name", arn: (p, _r, a) => `arn:${p}:iam::${a}:policy` },
  aws_dynamodb_table: { name: "name", arn: (p, r, a) => `arn:${p}:dynamodb:${r}:${a}:table/` },
  aws_s3_bucket: { name: "bucket", arn: (p) => `arn:${p}:s3:::` },
  aws_cloudwatch_log_group: { name: "name", arn: (p, r, a) => `arn:${p}:logs:${r}:${a}:log-group:` },
  aws_lambda_function: { name: "function_name", arn: (p, r, a) => `arn:${p}:lambda:${r}:${a}:function:` },
};

/** The name argument of a resource type the access map knows. */
export const nameArgumentOf = (type: string): string | undefined => ARN_FORMATS[type]?.name;

/** The ARN of a resource: its known `arn` attribute, or built from its account, region, path and name. */
export function arnOf(instance: ResourceInstance): string {
  const known = instance.values.arn;
  if (typeof known === "string" && !known.includes("${")) return known;
  const format = ARN_FORMATS[instance.type];
  if (!format) throw new Error(`cannot tell the ARN of ${instance.type}.${instance.id}: unsupported resource type`);
  const name = instance.values[format.name];
  if (typeof name !== "string" || name.includes("${"))
    throw new Error(
      `${instance.type}.${instance.id}.${format.name} must be a literal name, got ${JSON.stringify(name)}`,
    );
  const { accountId, region = "" } = instance;
  if (!accountId) throw new Error(`cannot tell the account of ${instance.type}.${instance.id}`);
  const iamPath = instance.type.startsWith("aws_iam_") ? String(instance.values.path ?? "/") : "";
  return `${format.arn(partitionOf(region), region, accountId)}${iamPath}${name}`;
}
