import type { AccessMap } from "../../scripts/access-map/access-map";
import { toMermaid } from "../../scripts/access-map/picture";
import { checkAgainst } from "../../scripts/access-map/report";
import { mapOfSynthesized } from "../../scripts/access-map/sources";
import { ORGANIZATION_WRITER_NAMES } from "../../stacks/config";
import { bySid, editPolicy, mutated } from "../controls/harness";
import { ORGANIZATION_ID, UNIT_ID, UNIT_PATH, WITH_ORGANIZATION_WRITER } from "../organization-writer-fixtures";
import { synthesize } from "../synth";

const stack = synthesize(WITH_ORGANIZATION_WRITER);
const CENTRAL = `arn:aws:iam::888888888888:role/${ORGANIZATION_WRITER_NAMES.centralRole}`;
const MEMBER = `arn:aws:iam::${UNIT_ID}:role/${ORGANIZATION_WRITER_NAMES.memberRole}`;

describe("access map: the organization writer's fan-in", () => {
  let map: AccessMap;
  beforeAll(async () => {
    map = await mapOfSynthesized(stack.json);
  });

  test("the member role of each account of the OU assumes the central role, under the organization's conditions and its own account's tag", () => {
    expect(map.principals).toContainEqual({
      arn: MEMBER,
      kind: "role",
      assumption: `made by StackSet ${ORGANIZATION_WRITER_NAMES.stackSet} in each account of ${UNIT_ID}, as its template says`,
    });
    expect(map.rows.filter((row) => row.resource === CENTRAL)).toEqual([
      {
        principal: MEMBER,
        via: "directly",
        resource: CENTRAL,
        actions: ["sts:AssumeRole"],
        conditions: [
          `org ${ORGANIZATION_ID}`,
          `org path ${UNIT_PATH}/x`,
          `session tag organization-writer-account = ${UNIT_ID}`,
        ],
      },
    ]);
    expect(toMermaid(map)).toContain(`subgraph aou_ab12_cdef3456["each account of ${UNIT_ID}"]`);
  });

  test("--check catches a widened central trust (no OU paths, any role name) as new access", async () => {
    const widened = mutated((copy) => {
      const role = copy.resource("aws_iam_role", "name", ORGANIZATION_WRITER_NAMES.centralRole).block;
      editPolicy(role, "assume_role_policy", (statements) => {
        const condition = bySid(statements, "MemberRolesOfTheOrganizationUnitsOnly").Condition as Record<
          string,
          unknown
        >;
        delete condition["ForAnyValue:StringLike"];
        delete condition.ArnLike;
      });
    }, stack);
    const { grown } = checkAgainst(map, await mapOfSynthesized(widened));
    expect(grown.length).toBeGreaterThan(0);
    expect(grown.join("\n")).toContain(CENTRAL);
  });
});
