import type { TerraformBlock, TerraformJson } from "../synth";

export type Entry = readonly [address: string, block: TerraformBlock];

export function resources(json: TerraformJson, type: string): Entry[] {
  return Object.entries(json.resource?.[type] ?? {}).map(([id, block]) => [`${type}.${id}`, block] as const);
}

/** A nested block as cdktf writes it: an object for a single block, an array for a list of blocks. */
export function blocks(value: unknown): TerraformBlock[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter(
    (item): item is TerraformBlock => typeof item === "object" && item !== null,
  );
}

export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function strings(value: unknown): string[] {
  return list(value).map((item) => String(item));
}

/** `${type.id.attribute}`, the way cdktf writes a reference to a resource's attribute. */
export function reference(address: string, attribute: string): string {
  return `\${${address}.${attribute}}`;
}

const TERRAFORM_REFERENCE = /\$\{[^}]*\}/g;

/** A Terraform reference stands for one specific value, never a wildcard: blank it out before looking for `*`. */
export function withoutReferences(value: string): string {
  return value.replace(TERRAFORM_REFERENCE, "REFERENCE");
}

/** The 12-digit account id the resource's provider is restricted to by `allowed_account_ids`, if exactly one. */
export function providerAccount(json: TerraformJson, block: TerraformBlock): string | undefined {
  const alias = typeof block.provider === "string" ? block.provider.replace(/^aws\.?/, "") : "";
  const provider = (json.provider?.aws ?? []).find((candidate) => (candidate.alias ?? "") === alias);
  const accounts = strings(provider?.allowed_account_ids);
  return accounts.length === 1 ? accounts[0] : undefined;
}

/** Blocks of a type that configure one bucket, by reference to its id or name, or by its literal name. */
export function forBucket(json: TerraformJson, type: string, [address, bucket]: Entry): Entry[] {
  const names = new Set([reference(address, "id"), reference(address, "bucket"), bucket.bucket]);
  return resources(json, type).filter(([, block]) => names.has(block.bucket));
}
