import type { VerifyContext } from "../../scripts/verify/context";
import type { Deployment } from "../../scripts/verify/deployment";
import { checkOrganizationWriter } from "../../scripts/verify/organization-writer-check";
import { resolveConfig } from "../../stacks/config";
import { WITH_ORGANIZATION_WRITER } from "../organization-writer-fixtures";
import { REAL_ACCOUNTS } from "../synth";

const context = (callerArn?: string, input = WITH_ORGANIZATION_WRITER): VerifyContext => ({
  config: resolveConfig(input),
  deployment: { outputs: {} } as unknown as Deployment,
  invoker: { invoke: async () => undefined, callUrl: async () => undefined } as never,
  deployCredentials: () => ({ accessKeyId: "AKIADEPLOY", secretAccessKey: "secret" }),
  clientSettings: (region, credentials) => ({ region, credentials }),
  ...(callerArn ? { caller: { arn: callerArn, credentials: { accessKeyId: "AKIA", secretAccessKey: "s" } } } : {}),
  now: () => new Date("2026-12-06T21:00:00Z"),
});

describe("verify's organization writer check on AWS", () => {
  test("skipped, saying why and what to run, when verify does not run as a session of the member role", async () => {
    const results = await checkOrganizationWriter(context("arn:aws:iam::111111111111:user/alice"));
    expect(results).toEqual([
      {
        check: "organization writer: a member writes a probe",
        status: "skipped",
        detail:
          "verify runs as arn:aws:iam::111111111111:user/alice, not a session of organization-writer in a member account: run it (or npm run org-write) from a workload of a member account",
      },
    ]);
  });

  test("a config without the pattern is skipped, saying so", async () => {
    expect(await checkOrganizationWriter(context(undefined, REAL_ACCOUNTS))).toEqual([
      { check: "organization writer", status: "skipped", detail: "the config has no organizationWriter section" },
    ]);
  });
});
