import type { TargetAccounts } from "../functions/inventory/accounts";
import { InventoryEventError, narrowingOf, narrowRegions, narrowTargets } from "../functions/inventory/narrowing";

const TARGETS: TargetAccounts = {
  accounts: [
    { accountId: "444444444444", source: "ou-abcd-11111111" },
    { accountId: "555555555555", source: "explicit" },
  ],
  skipped: [{ accountId: "666666666666", source: "ou-abcd-11111111", state: "SUSPENDED", reason: "suspended" }],
};

describe("an inventory run narrowed by its event (npm run verify runs one account and region)", () => {
  test("a schedule's event, an empty one or none asks for the whole configured run", () => {
    expect(narrowingOf(undefined)).toBeUndefined();
    expect(narrowingOf({})).toBeUndefined();
    expect(narrowingOf({ "detail-type": "Scheduled Event", source: "aws.events" })).toBeUndefined();
  });

  test("only.accountId (and only.region) narrow the targets to that one account and region", () => {
    const narrowing = narrowingOf({ only: { accountId: "555555555555", region: "eu-west-1" } });
    expect(narrowing).toEqual({ accountId: "555555555555", region: "eu-west-1" });
    expect(narrowTargets(TARGETS, narrowing as never)).toEqual({
      accounts: [{ accountId: "555555555555", source: "explicit" }],
      skipped: [],
    });
    expect(narrowRegions(["us-east-1", "eu-west-1"], narrowing as never)).toEqual(["eu-west-1"]);
    expect(narrowRegions("enabled", narrowing as never)).toEqual(["eu-west-1"]);
    expect(narrowRegions(["us-east-1"], { accountId: "555555555555" })).toEqual(["us-east-1"]);
  });

  test("fails naming the value and what is allowed: never wider than the configuration", () => {
    expect(() => narrowTargets(TARGETS, { accountId: "999999999999" })).toThrow(
      new InventoryEventError(
        "only.accountId 999999999999 is not a target of this inventory; its targets are 444444444444, 555555555555",
      ),
    );
    expect(() => narrowTargets(TARGETS, { accountId: "666666666666" })).toThrow(/666666666666 is not a target/);
    expect(() => narrowRegions(["us-east-1"], { accountId: "444444444444", region: "eu-west-1" })).toThrow(
      "only.region eu-west-1 is not a region of this inventory; its regions are us-east-1",
    );
  });

  test.each([
    [{ only: "444444444444" }, 'only must be an object { accountId, region? }, got "444444444444"'],
    [{ only: null }, "only must be an object { accountId, region? }, got null"],
    [{ only: { accountId: "4444" } }, 'only.accountId must be a 12-digit account id, got "4444"'],
    [
      { only: { accountId: "444444444444", region: "Mars" } },
      'only.region must be a region such as "us-east-1", got "Mars"',
    ],
    [
      { only: { accountId: "444444444444", roleName: "Admin" } },
      "only has unknown field(s) roleName; allowed: accountId, region",
    ],
  ])("fails: event %j", (event, message) => {
    expect(() => narrowingOf(event)).toThrow(new InventoryEventError(message));
  });
});
