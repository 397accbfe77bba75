import type { PolicyDocument } from "../policy-document";
import type { IamEntity } from "./iam-documents";

/** A policy's size as IAM counts it against its quotas: its characters, whitespace not counted. */
export function policyChars(document: PolicyDocument): number {
  return JSON.stringify(document).replace(/\s/g, "").length;
}

/** All inline policies of a role or group together, as IAM counts them against one quota. */
export const inlineChars = (entity: IamEntity) =>
  entity.inlinePolicies.reduce((total, document) => total + policyChars(document), 0);
