import { Resvg } from "@resvg/resvg-js";
import { type AccessMap, type AccessRow, ASSUME, DIRECTLY } from "../../scripts/access-map/access-map";
import { shortName } from "../../scripts/access-map/names";
import { toMermaid, toSvg } from "../../scripts/access-map/picture";
import { accessDiff, checkAgainst, diffMarkdown, toMarkdown } from "../../scripts/access-map/report";
import { mapOfSynthesized } from "../../scripts/access-map/sources";
import { exampleWith, synthesize } from "../synth";

const ALICE = "arn:aws:iam::111111111111:user/alice";
const ROLE = "arn:aws:iam::222222222222:role/assume-role-via-111111111111";
const TABLE = "arn:aws:dynamodb:us-east-1:222222222222:table/wd-ddb-table";
const OBJECTS = "arn:aws:s3:::wd-records-222222222222-us-east-1/records/*";
const rows = (...entries: AccessRow[]) => ({ rows: entries });
const assume = (conditions: string[]): AccessRow => ({
  principal: ALICE,
  via: DIRECTLY,
  resource: ROLE,
  actions: [ASSUME],
  conditions,
});

describe("access diff", () => {
  let before: AccessMap;
  let after: AccessMap;
  beforeAll(async () => {
    before = await mapOfSynthesized(synthesize().json);
    after = await mapOfSynthesized(
      synthesize(exampleWith({ trustedPrincipals: [{ arn: ALICE, requireMfa: true }] })).json,
    );
  }, 60_000);

  test("a new trusted principal is one NEW sentence: the role it may assume, its condition, what it can then do", () => {
    expect(accessDiff(before, after)).toEqual([
      `NEW: ${ALICE} may assume ${ROLE} (MFA required), and through it dynamodb:PutItem, dynamodb:BatchWriteItem on ${TABLE}; s3:PutObject on ${OBJECTS}`,
    ]);
  });

  test("the reverse change is one REMOVED sentence; the same map twice is no change in access", () => {
    expect(accessDiff(after, before)).toEqual([
      expect.stringMatching(/^REMOVED: arn:aws:iam::111111111111:user\/alice may assume /),
    ]);
    expect(accessDiff(after, after)).toEqual([]);
    expect(diffMarkdown([], "x.tfplan", [8, 8])).toContain("No change in access.");
  });

  test("a loosened condition is growth; a tightened one is not", () => {
    const withMfa = rows(assume(["MFA required"]));
    const withoutMfa = rows(assume([]));
    // Nothing was taken away: the access without MFA covers the one with it.
    expect(accessDiff(withMfa, withoutMfa)).toEqual([`NEW: ${ALICE} may assume ${ROLE}`]);
    expect(checkAgainst(withMfa, withoutMfa).grown).toEqual([`NEW: ${ALICE} may assume ${ROLE}`]);
    expect(checkAgainst(withoutMfa, withMfa)).toEqual({ grown: [], shrunk: [`REMOVED: ${ALICE} may assume ${ROLE}`] });
  });

  test("--check: growth beyond the baseline is listed, shrinking is reported apart", () => {
    expect(checkAgainst(before, after).grown).toHaveLength(1);
    expect(checkAgainst(after, before)).toEqual({ grown: [], shrunk: [expect.stringMatching(/^REMOVED: /)] });
  });
});

describe("access diff of grants outside the stack's resources", () => {
  const INVENTORY = "arn:aws:iam::111111111111:role/cross-account-inventory";
  const WILDCARD_ROLE = "arn:aws:iam::*:role/CrossAccountListFunctionsRole";
  const outside = (conditions: string[], actions = [ASSUME], resources = [WILDCARD_ROLE]) => ({
    rows: [],
    outside: [{ principal: INVENTORY, actions, resources, conditions }],
  });
  const inOrg = ["StringEquals aws:ResourceOrgID o-a1b2c3d4e5"];

  test("a new grant on a resource the stack does not hold is growth, named with its conditions", () => {
    expect(checkAgainst({ rows: [] }, outside(inOrg))).toEqual({
      grown: [
        `NEW: ${INVENTORY} may sts:AssumeRole on ${WILDCARD_ROLE} (outside the stack's resources) when ${inOrg[0]}`,
      ],
      shrunk: [],
    });
    expect(accessDiff(outside(inOrg), { rows: [] })).toEqual([expect.stringMatching(/^REMOVED: .* when /)]);
  });

  test("dropping its condition is growth; adding one, or the same grants, is not", () => {
    expect(checkAgainst(outside(inOrg), outside([])).grown).toEqual([
      `NEW: ${INVENTORY} may sts:AssumeRole on ${WILDCARD_ROLE} (outside the stack's resources)`,
    ]);
    expect(checkAgainst(outside([]), outside(inOrg)).grown).toEqual([]);
    expect(accessDiff(outside(inOrg), outside(inOrg))).toEqual([]);
  });

  test("another action on the same resource is growth of that action only", () => {
    const wider = outside(inOrg, [ASSUME, "sts:TagSession"]);
    expect(checkAgainst(outside(inOrg), wider).grown).toEqual([
      `NEW: ${INVENTORY} may sts:TagSession on ${WILDCARD_ROLE} (outside the stack's resources) when ${inOrg[0]}`,
    ]);
  });
});

describe("access map page and picture", () => {
  let map: AccessMap;
  beforeAll(async () => {
    map = await mapOfSynthesized(
      synthesize(exampleWith({ trustedPrincipals: [{ arn: ALICE, requireMfa: true }] })).json,
    );
  }, 60_000);

  test("the page has a row per access and the Mermaid flowchart, with accounts as subgraphs", () => {
    const page = toMarkdown(map, "the embedded example config");
    expect(page.split("\n").filter((line) => line.startsWith("| arn:") || line.startsWith("| lambda"))).toHaveLength(
      map.rows.length,
    );
    expect(toMermaid(map)).toMatch(/^flowchart LR\n {2}subgraph a111111111111\["account 111111111111"\]/);
    expect(toMermaid(map)).toContain('-- "assume (MFA)" -->');
  });

  test("the SVG names every principal and role and renders to an image", async () => {
    const svg = await toSvg(map);
    const text = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
      .map((match) => match[1].replaceAll("&#45;", "-"))
      .join("\n");
    for (const arn of [...map.principals.map((principal) => principal.arn), ...map.roles]) {
      const name = shortName(arn).replace(/^(role|user)\//, "");
      expect(text).toContain(name);
    }
    const png = new Resvg(svg, { background: "white" }).render();
    expect(png.width).toBeGreaterThan(600);
    expect(png.height).toBeGreaterThan(150);
  });
});
