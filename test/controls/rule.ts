import type { TerraformJson } from "../synth";

/** One resource that does not meet one control. */
export interface Finding {
  /** Id of the rule that reported it, e.g. `S3.1/S3.8 / CKV_AWS_53-56`. */
  readonly rule: string;
  /** Terraform address of the offending resource, e.g. `aws_s3_bucket.destination-bucket_7E26E931`. */
  readonly resource: string;
  readonly message: string;
}

/** A security control checked on synthesized Terraform JSON: pure, so it runs on the stack and on mutated copies. */
export interface Rule {
  /** The control ids (AWS Foundational Security Best Practices, Checkov), or a kebab-case name where none exists. */
  readonly id: string;
  readonly description: string;
  /** Why the project does not meet the control, as in the security page's table; undefined for controls it meets. */
  readonly notMet?: string;
  readonly check: (json: TerraformJson) => Finding[];
}

export type Report = (resource: string, message: string) => void;

export function rule(
  id: string,
  description: string,
  check: (json: TerraformJson, report: Report) => void,
  notMet?: string,
): Rule {
  return {
    id,
    description,
    notMet,
    check: (json) => {
      const findings: Finding[] = [];
      check(json, (resource, message) => findings.push({ rule: id, resource, message }));
      return findings;
    },
  };
}
