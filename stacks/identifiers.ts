/**
 * Names shared by the stack and the scripts that drive it. This module imports nothing, so the harness can use them
 * without loading cdktf or the provider classes.
 */

/** Name of the stack, and of its folder in cdktf.out/stacks/. */
export const STACK_NAME = "cross-account";

/** Role an organization's management account can assume in member accounts; the emulator grants any role. */
export const EMULATOR_DEPLOY_ROLE_NAME = "OrganizationAccountAccessRole";

/**
 * The oldest Terraform the stack's S3 state backend works with: S3 native lock files (`use_lockfile`, the default
 * lock) are generally available from Terraform 1.11.0 (experimental in 1.10).
 */
export const MIN_TERRAFORM_VERSION = "1.11.0";
/** The oldest OpenTofu with S3 native lock files (`use_lockfile`). */
export const MIN_OPENTOFU_VERSION = "1.10.0";
