import type { PolicyDocument, PolicyStatement } from "../../stacks/policy-document";
import { identityPolicy } from "./evaluate";
import type { NamedPolicy } from "./resolved";

const ASSUME = "sts:AssumeRole";

/** The AWS and service principals that trust and resource policies of the stack name but the stack does not hold. */
export function namedPrincipals(documents: readonly PolicyDocument[], partitionOf: (account: string) => string) {
  const aws = new Set<string>();
  const services = new Set<string>();
  for (const statement of documents.flatMap((document) => document.Statement)) {
    if (statement.Effect !== "Allow" || statement.Principal === undefined || statement.Principal === "*") continue;
    for (const value of ([] as string[]).concat(statement.Principal.AWS ?? []))
      if (value !== "*") aws.add(/^\d{12}$/.test(value) ? `arn:${partitionOf(value)}:iam::${value}:root` : value);
    for (const value of ([] as string[]).concat(statement.Principal.Service ?? [])) services.add(value);
  }
  return { aws: [...aws].sort(), services: [...services].sort() };
}

/**
 * What resource policies grant to a principal by ARN, under the same conditions: what its own (unseen) policy is
 * assumed to allow too, so the assumption never widens what the stack offers (a URL-only invoke stays URL-only).
 */
export function offeredTo(arn: string, documents: readonly PolicyDocument[]): NamedPolicy[] {
  const names = (statement: PolicyStatement) =>
    statement.Principal !== undefined &&
    statement.Principal !== "*" &&
    ([] as string[]).concat(statement.Principal.AWS ?? []).includes(arn);
  const statements = documents
    .flatMap((document) => document.Statement)
    .filter((statement) => statement.Effect === "Allow" && names(statement))
    .map((statement) => ({
      actions: ([] as string[]).concat(statement.Action).filter((action) => action !== ASSUME),
      condition: statement.Condition,
    }))
    .filter(({ actions }) => actions.length > 0)
    .map(({ actions, condition }) => ({
      Effect: "Allow" as const,
      Action: [...new Set(actions)].sort(),
      Resource: "*",
      ...(condition ? { Condition: condition } : {}),
    }));
  return statements.length > 0 ? [identityPolicy("offered-by-the-stack", ...statements)] : [];
}
