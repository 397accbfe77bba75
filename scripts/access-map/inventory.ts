import type { PolicyDocument, PolicyStatement } from "../../stacks/policy-document";
import { permissionStatement, stackPermissions } from "./lambda-permissions";
import type { NamedPolicy } from "./resolved";
import { stackSetRoles } from "./stack-sets";
import { arnOf, nameArgumentOf, type ResourceInstance } from "./terraform-values";

/** A role or user of the stack: the identity policies its sessions carry and, for a role, who may assume it. */
export interface StackPrincipal {
  readonly kind: "role" | "user";
  readonly arn: string;
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly trustPolicy?: PolicyDocument;
  /** For a role a StackSet makes: which, and where. */
  readonly madeBy?: string;
}

/** Something of the stack a principal may act on. */
export interface StackResource {
  readonly kind: "table" | "bucket" | "log-group" | "role" | "function";
  readonly arn: string;
  readonly accountId: string;
  readonly resourcePolicy?: PolicyDocument;
  readonly restrictPublicBuckets?: boolean;
  /** For a function behind a function URL: the URL's auth type (AWS_IAM or NONE). */
  readonly urlAuthType?: string;
}

/** Every IAM fact of a stack the access map evaluates. */
export interface IamInventory {
  readonly principals: readonly StackPrincipal[];
  readonly resources: readonly StackResource[];
}

const REFERENCE = /\$\{([a-z0-9_]+)\.([^.}\s]+)\.([a-z_]+)\}/g;
const RESOURCE_KINDS: Record<string, StackResource["kind"]> = {
  aws_dynamodb_table: "table",
  aws_s3_bucket: "bucket",
  aws_cloudwatch_log_group: "log-group",
  aws_iam_role: "role",
  aws_lambda_function: "function",
};
// Types that change who may do what and that the map does not evaluate: refusing beats a map that is silently wrong.
const UNMODELLED = [
  "aws_iam_policy_attachment",
  "aws_s3_bucket_acl",
  "aws_s3_access_point",
  "aws_organizations_policy",
  "aws_iam_role_policies_exclusive",
  "aws_iam_role_policy_attachments_exclusive",
];

/** The stack's principals and resources from its resource instances, every reference resolved. */
export function inventoryOf(instances: readonly ResourceInstance[]): IamInventory {
  const byAddress = new Map(instances.map((instance) => [`${instance.type}.${instance.id}`, instance]));
  const ofType = (type: string) => instances.filter((instance) => instance.type === type);
  for (const type of UNMODELLED) {
    const found = ofType(type);
    if (found.length > 0)
      throw new Error(
        `${found.map((i) => `${type}.${i.id}`).join(", ")}: ${type} is not modelled by the access map; allowed are inline and attached policies of roles, users and groups`,
      );
  }
  const resolve = (text: string): string =>
    text.replace(REFERENCE, (reference, type: string, id: string, attribute: string) => {
      const target = byAddress.get(`${type}.${id}`);
      if (!target) throw new Error(`${reference} names no resource of the stack`);
      if (attribute === "arn") return arnOf(target);
      const name = target.values[nameArgumentOf(type) ?? "name"];
      if (["id", "name", "bucket", "function_name"].includes(attribute) && typeof name === "string")
        return resolve(name);
      throw new Error(`cannot resolve ${reference}: only .arn and the name or id of a named resource are supported`);
    });
  const text = (instance: ResourceInstance, argument: string): string => {
    const value = instance.values[argument];
    if (typeof value !== "string")
      throw new Error(
        value === undefined
          ? `${instance.type}.${instance.id}.${argument} is unknown until apply or unset; the access map needs it: synthesize first (npm run synth) so it is read from cdk.tf.json`
          : `${instance.type}.${instance.id}.${argument} must be a string, got ${JSON.stringify(value)}`,
      );
    // "$${aws:...}" is Terraform's escape of an IAM policy variable: IAM fills it in, so it stays as "${aws:...}".
    const resolved = resolve(value).replaceAll("$${aws:", "${aws:");
    if (/\$\{(?!aws:)/.test(resolved))
      throw new Error(`unresolved reference in ${instance.type}.${instance.id}.${argument}`);
    return resolved;
  };
  const document = (instance: ResourceInstance, argument = "policy") =>
    JSON.parse(text(instance, argument)) as PolicyDocument;
  /** Instances of `type` whose `argument` names (by reference, name or ARN) the given target. */
  const pointingAt = (type: string, argument: string, target: ResourceInstance, many = false) => {
    const names = [text(target, nameArgumentOf(target.type) ?? "name"), arnOf(target)];
    return ofType(type).filter((instance) => {
      if (instance.accountId !== target.accountId) return false;
      const raw = instance.values[argument];
      const values = many && Array.isArray(raw) ? raw : [raw];
      return values.some((value) => typeof value === "string" && names.includes(resolve(value)));
    });
  };
  const policiesByArn = new Map(ofType("aws_iam_policy").map((policy) => [arnOf(policy), policy]));
  const attached = (type: string, argument: string, target: ResourceInstance): NamedPolicy[] =>
    pointingAt(type, argument, target).map((attachment) => {
      const arn = text(attachment, "policy_arn");
      const policy = policiesByArn.get(arn);
      if (!policy)
        throw new Error(
          `${type}.${attachment.id} attaches ${arn}, which is not an aws_iam_policy of the stack, so its document is unknown`,
        );
      return { name: text(policy, "name"), policy: document(policy) };
    });
  const inline = (type: string, argument: string, target: ResourceInstance): NamedPolicy[] =>
    pointingAt(type, argument, target).map((policy) => ({ name: text(policy, "name"), policy: document(policy) }));

  const groupPolicies = (group: ResourceInstance) => [
    ...inline("aws_iam_group_policy", "group", group),
    ...attached("aws_iam_group_policy_attachment", "group", group),
  ];
  const groupsOf = (user: ResourceInstance): ResourceInstance[] => {
    const groups = ofType("aws_iam_group");
    const viaGroup = ofType("aws_iam_group_membership").flatMap((membership) =>
      (membership.values.users as unknown[] | undefined)?.some(
        (value) => typeof value === "string" && resolve(value) === text(user, "name"),
      )
        ? groups.filter((group) => pointingAt("aws_iam_group_membership", "group", group).includes(membership))
        : [],
    );
    const viaUser = pointingAt("aws_iam_user_group_membership", "user", user).flatMap((membership) =>
      groups.filter((group) => pointingAt("aws_iam_user_group_membership", "groups", group, true).includes(membership)),
    );
    return [...new Set([...viaGroup, ...viaUser])];
  };

  const located = (instance: ResourceInstance) => {
    const arn = arnOf(instance);
    const accountId = instance.accountId ?? arn.split(":")[4];
    return { arn, accountId, region: instance.region ?? "", partition: arn.split(":")[1] };
  };
  const roles: StackPrincipal[] = ofType("aws_iam_role").map((role) => {
    if (role.values.permissions_boundary)
      throw new Error(`aws_iam_role.${role.id} sets permissions_boundary, which the access map does not model`);
    const inlineBlocks = (Array.isArray(role.values.inline_policy) ? role.values.inline_policy : []) as Block[];
    return {
      kind: "role",
      ...located(role),
      name: text(role, "name"),
      trustPolicy: document(role, "assume_role_policy"),
      identityPolicies: [
        ...inlineBlocks
          .filter((block) => typeof block.policy === "string" && block.policy !== "")
          .map((block) => ({ name: String(block.name), policy: JSON.parse(resolve(String(block.policy))) })),
        ...inline("aws_iam_role_policy", "role", role),
        ...attached("aws_iam_role_policy_attachment", "role", role),
      ],
    };
  });
  const users: StackPrincipal[] = ofType("aws_iam_user").map((user) => ({
    kind: "user",
    ...located(user),
    name: text(user, "name"),
    identityPolicies: [
      ...inline("aws_iam_user_policy", "user", user),
      ...attached("aws_iam_user_policy_attachment", "user", user),
      ...groupsOf(user).flatMap(groupPolicies),
    ],
  }));

  const resources: StackResource[] = instances
    .filter((instance) => RESOURCE_KINDS[instance.type])
    .map((instance) => {
      const kind = RESOURCE_KINDS[instance.type];
      const { arn, accountId } = located(instance);
      if (kind === "bucket") {
        const policies = pointingAt("aws_s3_bucket_policy", "bucket", instance);
        const blocks = pointingAt("aws_s3_bucket_public_access_block", "bucket", instance);
        return {
          kind,
          arn,
          accountId,
          resourcePolicy: policies.length > 0 ? merged(policies.map((policy) => document(policy))) : undefined,
          restrictPublicBuckets: blocks.some((block) => block.values.restrict_public_buckets === true),
        };
      }
      if (kind === "table") {
        const policies = pointingAt("aws_dynamodb_resource_policy", "resource_arn", instance);
        return { kind, arn, accountId, resourcePolicy: merged(policies.map((policy) => document(policy))) };
      }
      if (kind === "function") {
        const names = [text(instance, "function_name"), arn];
        const permissions = pointingAt("aws_lambda_permission", "function_name", instance);
        const fromStacks = stackPermissions(instances, text, resolve).filter((p) => names.includes(p.functionName));
        const urls = pointingAt("aws_lambda_function_url", "function_name", instance);
        return {
          kind,
          arn,
          accountId,
          resourcePolicy: merged([
            ...permissions.map((p) => permissionStatement(p, arn, text)),
            ...fromStacks.map((p) => ({ ...p.statement, Resource: arn })),
          ]),
          ...(urls.length > 0 ? { urlAuthType: text(urls[0], "authorization_type") } : {}),
        };
      }
      return { kind, arn, accountId };
    });
  // Roles the StackSets make in accounts the stack does not hold: principals, and roles others may assume or change.
  const madeByStackSets = stackSetRoles(instances, text, resolve).map((role) => ({ kind: "role" as const, ...role }));
  const madeRoles = madeByStackSets.map(({ arn, accountId }) => ({ kind: "role" as const, arn, accountId }));
  return { principals: [...roles, ...madeByStackSets, ...users], resources: [...resources, ...madeRoles] };
}

type Block = Record<string, unknown>;

function merged(documents: readonly (PolicyDocument | PolicyStatement)[]): PolicyDocument | undefined {
  if (documents.length === 0) return undefined;
  const statements = documents.flatMap((entry) => ("Statement" in entry ? entry.Statement : [entry]));
  return { Version: "2012-10-17", Statement: statements };
}
