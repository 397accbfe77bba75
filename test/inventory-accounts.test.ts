import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { listTargetAccounts, OrganizationalUnitError } from "../functions/inventory/accounts";
import { awsError } from "./inventory-fixtures";

const organizationsMock = mockClient(OrganizationsClient);
const organizations = new OrganizationsClient({ region: "us-east-1" });
const OU = "ou-ab12-11111111";
const CHILD = "ou-ab12-22222222";

beforeEach(() => {
  organizationsMock.reset();
  organizationsMock.on(ListAccountsForParentCommand).callsFake((input) => {
    if (input.ParentId === OU && !input.NextToken) {
      return { Accounts: [{ Id: "222222222222", Name: "dev", State: "ACTIVE" }], NextToken: "page-2" };
    }
    if (input.ParentId === OU) {
      return {
        Accounts: [
          { Id: "333333333333", Name: "old", State: "SUSPENDED" },
          { Id: "444444444444", Status: "ACTIVE" },
        ],
      };
    }
    if (input.ParentId === CHILD)
      return {
        Accounts: [
          { Id: "555555555555", Name: "prod", State: "PENDING_CLOSURE" },
          { Id: "666666666666", State: "ACTIVE" },
        ],
      };
    throw awsError("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
  });
  organizationsMock.on(ListOrganizationalUnitsForParentCommand).callsFake((input) => ({
    OrganizationalUnits: input.ParentId === OU ? [{ Id: CHILD }] : [],
  }));
});

describe("listTargetAccounts", () => {
  test("lists the ACTIVE accounts of an OU and its child OUs, every page, then the explicit ids, each once", async () => {
    const { accounts, skipped } = await listTargetAccounts(organizations, {
      organizationalUnitIds: [OU],
      accountIds: ["666666666666", "777777777777"],
    });
    expect(accounts).toEqual([
      { accountId: "222222222222", name: "dev", source: OU },
      { accountId: "444444444444", source: OU },
      { accountId: "666666666666", source: CHILD },
      { accountId: "777777777777", source: "explicit" },
    ]);
    expect(skipped).toEqual([
      {
        accountId: "333333333333",
        name: "old",
        source: OU,
        state: "SUSPENDED",
        reason: "account is SUSPENDED in Organizations; only ACTIVE accounts are scanned",
      },
      {
        accountId: "555555555555",
        name: "prod",
        source: CHILD,
        state: "PENDING_CLOSURE",
        reason: expect.stringContaining("PENDING_CLOSURE"),
      },
    ]);
  });

  test("needs no Organizations client for explicit account ids", async () => {
    expect(await listTargetAccounts(undefined, { organizationalUnitIds: [], accountIds: ["222222222222"] })).toEqual({
      accounts: [{ accountId: "222222222222", source: "explicit" }],
      skipped: [],
    });
  });

  test("fails on an OU that is not in the organization, naming it", async () => {
    const listing = listTargetAccounts(organizations, { organizationalUnitIds: ["ou-zz99-99999999"], accountIds: [] });
    await expect(listing).rejects.toThrow(OrganizationalUnitError);
    await expect(
      listTargetAccounts(organizations, { organizationalUnitIds: ["ou-zz99-99999999"], accountIds: [] }),
    ).rejects.toThrow('organizational unit "ou-zz99-99999999" is not in the organization: ParentNotFoundException');
  });
});
