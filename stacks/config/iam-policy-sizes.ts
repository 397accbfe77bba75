import type { PolicyDocument } from "../policy-document";
import type { ConfigRule } from "./config-rule";
import type { IamEntity } from "./iam-documents";
import { iamEntitiesOf } from "./iam-entities";
import {
  GROUP_INLINE_POLICIES_CHARS,
  MAX_ROLE_TRUST_POLICY_CHARS,
  ROLE_INLINE_POLICIES_CHARS,
  ROLE_TRUST_POLICY_CHARS,
} from "./limits";

/** A policy's size as IAM counts it against its quotas: its characters, whitespace not counted. */
export function policyChars(document: PolicyDocument): number {
  return JSON.stringify(document).replace(/\s/g, "").length;
}

/** All inline policies of a role or group together, as IAM counts them against one quota. */
export const inlineChars = (entity: IamEntity) =>
  entity.inlinePolicies.reduce((total, document) => total + policyChars(document), 0);

/** The quota on all inline policies of one role, or of one group, together. */
export const inlineQuota = (entity: Pick<IamEntity, "kind">) =>
  entity.kind === "role" ? ROLE_INLINE_POLICIES_CHARS : GROUP_INLINE_POLICIES_CHARS;

/** "role <name> in account <id>", or in the accounts of a StackSet. */
const located = (entity: IamEntity) =>
  `${entity.kind} ${entity.name} in ${/^\d{12}$/.test(entity.account) ? `account ${entity.account}` : entity.account}`;

/**
 * IAM's quotas on the size of the policies the stack makes: a role's trust policy, and the inline policies of a role
 * or group together. IAM refuses a policy over them at deploy (LimitExceeded), after part of the stack exists.
 */
export const IAM_POLICY_SIZE_RULES: readonly ConfigRule[] = [
  {
    name: "role-trust-policies-fit",
    check: (file, destinations) =>
      iamEntitiesOf(file, destinations).flatMap((entity) => {
        const chars = entity.trustPolicy ? policyChars(entity.trustPolicy) : 0;
        const quota = file.roleTrustPolicyQuota ?? ROLE_TRUST_POLICY_CHARS;
        const allowed =
          file.roleTrustPolicyQuota === undefined
            ? `the ${quota} IAM allows a role's trust policy by default`
            : `the ${quota} of roleTrustPolicyQuota`;
        const raised =
          file.roleTrustPolicyQuota === undefined
            ? ` (or, where your accounts' quota was raised, set roleTrustPolicyQuota to it, at most ${MAX_ROLE_TRUST_POLICY_CHARS})`
            : "";
        return chars > quota
          ? [
              `${entity.origin}: the trust policy of ${located(entity)} would be ${chars} characters (not counting ` +
                `whitespace), more than ${allowed}: ${entity.shortenTrust ?? "shorten the names it holds"}${raised}`,
            ]
          : [];
      }),
  },
  {
    name: "inline-policies-fit",
    check: (file, destinations) =>
      iamEntitiesOf(file, destinations).flatMap((entity) => {
        const chars = inlineChars(entity);
        return chars > inlineQuota(entity)
          ? [
              `${entity.origin}: the inline policies of ${located(entity)} would come to ${chars} characters (not ` +
                `counting whitespace), more than the ${inlineQuota(entity)} IAM allows for all inline policies of ` +
                `one ${entity.kind}: ${entity.shortenInline ?? "shorten the names they hold"}`,
            ]
          : [];
      }),
  },
];
