/**
 * Names shared by the stack and the scripts that drive it. This module imports nothing, so the harness can use them
 * without loading cdktf or the provider classes.
 */

/** Name of the stack, and of its folder in cdktf.out/stacks/. */
export const STACK_NAME = "cross-account";

/** Role an organization's management account can assume in member accounts; the emulator grants any role. */
export const EMULATOR_DEPLOY_ROLE_NAME = "OrganizationAccountAccessRole";
