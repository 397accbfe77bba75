/** An IAM policy document as a typed object; serialized with {@link toJson} so references resolve in one plan. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Partial<Record<"AWS" | "Service", string | readonly string[]>>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: PolicyCondition;
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** JSON for an IAM argument; cdktf turns the tokens inside it into `${...}` Terraform references. */
export function toJson(document: PolicyDocument): string {
  return JSON.stringify(document);
}
