import { Testing } from "cdktf";
import { type CrossAccountConfigInput, EXAMPLE_CONFIG, resolveConfig } from "../stacks/config";
import { CrossAccountStack, STACK_NAME } from "../stacks/cross-account-stack";
import type { PolicyDocument } from "../stacks/policy-document";

/** Synthesized Terraform JSON of the stack, with helpers to find resources and their references. */
export class SynthesizedStack {
  constructor(
    readonly json: TerraformJson,
    readonly stack: CrossAccountStack,
  ) {}

  /** Every block of one resource type, by logical id. */
  resources(type: string): Record<string, TerraformBlock> {
    return this.json.resource?.[type] ?? {};
  }

  /** The single resource of a type whose `attribute` equals `value` (e.g. name), with its logical id. */
  resource(type: string, attribute = "", value?: unknown): { id: string; block: TerraformBlock } {
    const matches = Object.entries(this.resources(type)).filter(
      ([, block]) => attribute === "" || block[attribute] === value,
    );
    if (matches.length !== 1) {
      throw new Error(
        `expected one ${type}${attribute ? ` with ${attribute}=${JSON.stringify(value)}` : ""}, found ${matches.length}`,
      );
    }
    const [[id, block]] = matches;
    return { id, block };
  }

  /** The Terraform reference `${type.id.attribute}` of a resource. */
  reference(type: string, id: string, attribute: string): string {
    return `\${${type}.${id}.${attribute}}`;
  }

  /** A policy argument of a block, parsed. */
  policy(block: TerraformBlock, argument = "policy"): PolicyDocument {
    const text = block[argument];
    if (typeof text !== "string") throw new Error(`${argument} is not a JSON string: ${JSON.stringify(text)}`);
    return JSON.parse(text) as PolicyDocument;
  }
}

export type TerraformBlock = Record<string, any>;
export interface TerraformJson {
  provider?: { aws?: TerraformBlock[] };
  resource?: Record<string, Record<string, TerraformBlock>>;
  data?: Record<string, Record<string, TerraformBlock>>;
  output?: Record<string, TerraformBlock>;
}

/** Synthesizes the stack for a config (default: the embedded example). */
export function synthesize(input: CrossAccountConfigInput = EXAMPLE_CONFIG): SynthesizedStack {
  const app = Testing.app();
  const stack = new CrossAccountStack(app, STACK_NAME, { config: resolveConfig(input) });
  return new SynthesizedStack(JSON.parse(Testing.synth(stack)) as TerraformJson, stack);
}

/** The example config with some fields replaced. */
export function exampleWith(overrides: Partial<CrossAccountConfigInput>): CrossAccountConfigInput {
  return { ...EXAMPLE_CONFIG, ...overrides };
}

/** A config for real accounts (no emulator): what a user deploys to AWS. */
export const REAL_ACCOUNTS: CrossAccountConfigInput = {
  source: { accountId: "123456789012", region: "eu-west-1", profile: "source-admin" },
  destination: {
    accountId: "210987654321",
    region: "eu-central-1",
    deployRoleArn: "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole",
  },
};

/** Three destinations in two regions, two of them in one account: the issue's example. */
export const THREE_DESTINATIONS: CrossAccountConfigInput = {
  source: { accountId: "111111111111", region: "us-east-1" },
  destinations: [
    { name: "analytics", accountId: "222222222222", region: "us-east-1" },
    { name: "analytics-eu", accountId: "222222222222", region: "eu-west-1", access: "read-write" },
    { name: "archive", accountId: "333333333333", region: "us-east-1", bulkObjects: "per-batch" },
  ],
};

/**
 * Three destinations with source principals: an EC2 instance role sharing the writer's roles in analytics and
 * archive; operators reading analytics-eu through a read-only role of their own (MFA at most an hour old); a lead
 * with the destination's own read-write access there.
 */
export const WITH_SOURCE_PRINCIPALS: CrossAccountConfigInput = {
  ...THREE_DESTINATIONS,
  sourcePrincipals: {
    instanceRoles: [{ name: "batch-ec2", destinations: ["analytics", "archive"] }],
    operators: [
      {
        group: "prod-readers",
        users: ["alice", "bob"],
        destinations: ["analytics-eu"],
        access: "read",
        maxMfaAgeSeconds: 3600,
      },
      { group: "prod-leads", users: ["carol"], destinations: ["analytics-eu"] },
    ],
  },
};
