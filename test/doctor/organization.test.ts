import {
  AccessDeniedException,
  AWSOrganizationsNotInUseException,
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListRootsCommand,
  OrganizationalUnitNotFoundException,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import {
  checkOrganization,
  type OrganizationNeeds,
  STACKSETS_SERVICE_PRINCIPAL,
} from "../../scripts/doctor/organization";
import type { ReachPath } from "../../scripts/doctor/reach";
import type { InventoryConfig, OrganizationAccountConfig } from "../../stacks/config";

const organizations = mockClient(OrganizationsClient);
const MANAGEMENT = "123456789012";
const ADMIN = "333333333333";
const UNIT = "ou-ab12-cd34ef56";
const PATH: ReachPath = { kind: "profile", profile: "org" };
const INVENTORY: InventoryConfig = {
  organizationalUnitIds: [UNIT],
  accountIds: [],
  regions: "enabled",
  roleName: "CrossAccountListFunctionsRole",
  concurrency: 8,
  organizationId: "o-abc1234567",
};
const ORGANIZATION: OrganizationAccountConfig = {
  accountId: MANAGEMENT,
  region: "us-east-1",
  delegatedAdministrator: false,
};
const DELEGATED: OrganizationAccountConfig = { accountId: ADMIN, region: "us-east-1", delegatedAdministrator: true };
const $metadata = { httpStatusCode: 400 };

function organizationAnswers({ trusted = true, admins = [ADMIN] }: { trusted?: boolean; admins?: string[] } = {}) {
  organizations.reset();
  organizations
    .on(DescribeOrganizationCommand)
    .resolves({ Organization: { Id: "o-abc1234567", MasterAccountId: MANAGEMENT } });
  organizations.on(ListAWSServiceAccessForOrganizationCommand).resolves({
    EnabledServicePrincipals: [
      { ServicePrincipal: "sso.amazonaws.com" },
      ...(trusted
        ? [{ ServicePrincipal: STACKSETS_SERVICE_PRINCIPAL, DateEnabled: new Date("2026-01-02T00:00:00Z") }]
        : []),
    ],
  });
  organizations
    .on(ListDelegatedAdministratorsCommand)
    .resolves({ DelegatedAdministrators: admins.map((id) => ({ Id: id, Name: "admin" })) });
  organizations.on(DescribeOrganizationalUnitCommand).resolves({ OrganizationalUnit: { Id: UNIT, Name: "workloads" } });
  organizations.on(ListRootsCommand).resolves({ Roots: [{ Id: "r-ab12" }] });
}

const bySubject = async (inventory: OrganizationNeeds, organization: OrganizationAccountConfig) =>
  Object.fromEntries(
    (await checkOrganization(inventory, organization, PATH, {})).map((result) => [result.subject, result]),
  );

describe("the inventory's organization", () => {
  test("the management account with trusted access and an existing OU is ok on every row", async () => {
    organizationAnswers();
    const results = await checkOrganization(INVENTORY, ORGANIZATION, PATH, {});
    expect(results.map((result) => [result.subject, result.status, result.detail])).toEqual([
      [`organization of ${MANAGEMENT}`, "ok", `o-abc1234567, management account ${MANAGEMENT}`],
      ["StackSets trusted access", "ok", `${STACKSETS_SERVICE_PRINCIPAL} enabled on 2026-01-02`],
      [`OU ${UNIT}`, "ok", "exists (workloads)"],
    ]);
  });

  test("[aws-rule stacksets-trusted-access] StackSets without trusted access is a problem fixed by activate-organizations-access", async () => {
    organizationAnswers({ trusted: false });
    const result = (await bySubject(INVENTORY, ORGANIZATION))["StackSets trusted access"];
    expect(result).toMatchObject({
      status: "problem",
      fix: "aws cloudformation activate-organizations-access --profile org (in the management account)",
    });
    expect(result.detail).toContain(
      "trusted access between CloudFormation StackSets and Organizations is not activated",
    );
  });

  test("[aws-rule stacksets-delegated-admin] a delegated administrator the organization has not registered names register-delegated-administrator", async () => {
    organizationAnswers({ admins: ["444444444444"] });
    const result = (await bySubject(INVENTORY, DELEGATED))[`delegated administrator ${ADMIN}`];
    expect(result).toMatchObject({
      status: "problem",
      detail: `${ADMIN} is not registered as a delegated administrator of StackSets`,
      fix: `aws organizations register-delegated-administrator --account-id ${ADMIN} --service-principal ${STACKSETS_SERVICE_PRINCIPAL} (in the management account)`,
    });
  });

  test("[aws-rule stacksets-delegated-admin] an account refused ListDelegatedAdministrators is not a delegated administrator", async () => {
    organizationAnswers();
    organizations.on(ListDelegatedAdministratorsCommand).rejects(
      new AccessDeniedException({
        $metadata,
        message:
          "You don't have permissions to perform the requested operation. The user or role that is making the request must have at least one IAM permissions policy attached that grants the required permissions.",
      }),
    );
    const result = (await bySubject(INVENTORY, DELEGATED))[`delegated administrator ${ADMIN}`];
    expect(result.status).toBe("problem");
    expect(result.detail).toContain(
      `${ADMIN} may not list delegated administrators, so it is not one: AccessDeniedException (HTTP 400)`,
    );
    expect(result.fix).toContain("aws organizations register-delegated-administrator");
  });

  test("[aws-rule stacksets-delegated-admin] a registered delegated administrator is ok", async () => {
    organizationAnswers();
    expect((await bySubject(INVENTORY, DELEGATED))[`delegated administrator ${ADMIN}`]).toMatchObject({
      status: "ok",
      detail: `registered for ${STACKSETS_SERVICE_PRINCIPAL}`,
    });
  });

  test("another organization id than the config's names both", async () => {
    organizationAnswers();
    const result = (await bySubject({ ...INVENTORY, organizationId: "o-zzz9999999" }, ORGANIZATION))[
      `organization of ${MANAGEMENT}`
    ];
    expect(result).toMatchObject({
      status: "problem",
      detail: `account ${MANAGEMENT} is in organization o-abc1234567, but the config says o-zzz9999999`,
      fix: 'set inventory.organizationId (or organizationId) to "o-abc1234567"',
    });
  });

  test("a member account that is not said to be a delegated administrator is refused as the StackSet's home", async () => {
    organizationAnswers();
    const result = (await bySubject(INVENTORY, { ...DELEGATED, delegatedAdministrator: false }))[
      `organization of ${ADMIN}`
    ];
    expect(result.status).toBe("problem");
    expect(result.detail).toContain(`account ${ADMIN} is not the management account (${MANAGEMENT}) of o-abc1234567`);
    expect(result.fix).toContain(`set inventory.organization.accountId to "${MANAGEMENT}"`);
  });

  test("an account outside any organization says so", async () => {
    organizationAnswers();
    organizations.on(DescribeOrganizationCommand).rejects(
      new AWSOrganizationsNotInUseException({
        $metadata,
        message:
          "Your account isn't a member of an organization. To make this request, you must use the credentials of an account that belongs to an organization.",
      }),
    );
    const result = (await bySubject(INVENTORY, ORGANIZATION))[`organization of ${MANAGEMENT}`];
    expect(result.status).toBe("problem");
    expect(result.detail).toContain(
      `account ${MANAGEMENT} is not in an organization: AWSOrganizationsNotInUseException (HTTP 400)`,
    );
  });

  test("an OU id the organization does not have is named", async () => {
    organizationAnswers();
    organizations.on(DescribeOrganizationalUnitCommand).rejects(
      new OrganizationalUnitNotFoundException({
        $metadata,
        message: "We can't find an OU with the OrganizationalUnitId that you specified.",
      }),
    );
    const result = (await bySubject(INVENTORY, ORGANIZATION))[`OU ${UNIT}`];
    expect(result.status).toBe("problem");
    expect(result.detail).toBe(
      `${UNIT} does not exist in the organization: OrganizationalUnitNotFoundException (HTTP 400): We can't find an OU with the OrganizationalUnitId that you specified.`,
    );
    expect(result.fix).toContain("aws organizations list-organizational-units-for-parent --parent-id <root id>");
  });

  test("for the organization writer, a missing OU and a wrong organization name its section", async () => {
    organizationAnswers();
    organizations
      .on(DescribeOrganizationalUnitCommand)
      .rejects(new OrganizationalUnitNotFoundException({ $metadata, message: "We can't find an OU." }));
    const needs: OrganizationNeeds = {
      organizationalUnitIds: [UNIT],
      organizationId: "o-zzz9999999",
      section: "organizationWriter",
    };
    const results = await bySubject(needs, ORGANIZATION);
    expect(results[`OU ${UNIT}`].fix).toContain("correct organizationWriter.organizationalUnitPaths");
    expect(results[`organization of ${MANAGEMENT}`]).toMatchObject({
      status: "problem",
      fix: 'set organizationWriter.organizationId (or organizationId) to "o-abc1234567"',
    });
  });

  test("a root id is checked against the organization's root", async () => {
    organizationAnswers();
    const results = await bySubject({ ...INVENTORY, organizationalUnitIds: ["r-ab12", "r-zz99"] }, ORGANIZATION);
    expect(results["root r-ab12"]).toMatchObject({ status: "ok" });
    expect(results["root r-zz99"]).toMatchObject({
      status: "problem",
      detail: "root r-zz99 is not the organization's root (r-ab12)",
    });
  });
});
