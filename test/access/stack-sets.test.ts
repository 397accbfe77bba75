import { type AccessMap, ASSUME, DIRECTLY } from "../../scripts/access-map/access-map";
import { toMermaid } from "../../scripts/access-map/picture";
import { toMarkdown } from "../../scripts/access-map/report";
import { mapOfSynthesized } from "../../scripts/access-map/sources";
import { INVENTORY_NAMES } from "../../stacks/config";
import { inventoryWith, LISTED_ACCOUNT_ID, ORGANIZATION_ID, UNIT_ID } from "../inventory-fixtures-stack";
import { REAL_ACCOUNTS, synthesize } from "../synth";

const SOURCE = String(REAL_ACCOUNTS.source.accountId);
const DESTINATION = String(REAL_ACCOUNTS.destination?.accountId);
const inventoryRole = `arn:aws:iam::${SOURCE}:role/${INVENTORY_NAMES.executionRole}`;
const readRoleIn = (where: string) => `arn:aws:iam::${where}:role/CrossAccountListFunctionsRole`;

describe("access map: the roles a StackSet makes, and grants on resources outside the stack", () => {
  let map: AccessMap;
  beforeAll(async () => {
    const config = inventoryWith({ accountIds: [LISTED_ACCOUNT_ID, DESTINATION], regions: ["eu-west-1"] });
    map = await mapOfSynthesized(synthesize(config).json);
  });

  test("the StackSet's role is a role of each account of the OU, made from its template, trusted by the inventory", () => {
    expect(map.roles).toContain(readRoleIn(UNIT_ID));
    expect(map.principals).toContainEqual({
      arn: readRoleIn(UNIT_ID),
      kind: "role",
      assumption: `made by StackSet ${INVENTORY_NAMES.stackSet} in each account of ${UNIT_ID}, as its template says`,
    });
    const assumes = map.rows.filter((row) => row.resource === readRoleIn(UNIT_ID));
    expect(assumes).toEqual([
      {
        principal: inventoryRole,
        via: DIRECTLY,
        resource: readRoleIn(UNIT_ID),
        actions: [ASSUME],
        conditions: [`resource in org ${ORGANIZATION_ID}`],
      },
    ]);
    // The directly made role in the destination's account: by its exact ARN, no condition.
    expect(map.rows).toContainEqual(
      expect.objectContaining({ principal: inventoryRole, resource: readRoleIn(DESTINATION), conditions: [] }),
    );
    // The writer reaches neither.
    expect(
      map.rows.filter((row) => row.resource.endsWith("/CrossAccountListFunctionsRole")).map((row) => row.principal),
    ).toEqual([inventoryRole, inventoryRole]);
  });

  test("what the stack's policies allow on resources it does not hold is listed as written, with conditions", () => {
    const outside = (map.outside ?? []).map((grant) =>
      `${grant.principal}: ${grant.actions.join(",")} on ${grant.resources.join(",")} ${grant.conditions.join(",")}`.trim(),
    );
    expect(outside).toEqual(
      expect.arrayContaining([
        `${inventoryRole}: ${ASSUME} on ${readRoleIn("*")} StringEquals aws:ResourceOrgID ${ORGANIZATION_ID}`,
        `${inventoryRole}: ${ASSUME} on ${readRoleIn(LISTED_ACCOUNT_ID)}`,
        `${readRoleIn(UNIT_ID)}: lambda:ListFunctions on *`,
        `${readRoleIn(DESTINATION)}: lambda:ListFunctions on *`,
      ]),
    );
    // What the table evaluates is not repeated: the report bucket, the log stream, the organization read role.
    expect(outside.filter((line) => /inventory-reports|log-stream|organization-read$/.test(line))).toEqual([]);
    const page = toMarkdown(map, "test");
    expect(page).toContain(
      `- ${inventoryRole}: ${ASSUME} on ${readRoleIn("*")} when StringEquals aws:ResourceOrgID ${ORGANIZATION_ID}`,
    );
    expect(page).toContain("## Grants on resources outside the stack");
  });

  test("the picture groups the StackSet's role under each account of its OU", () => {
    expect(toMermaid(map)).toContain(`subgraph a${UNIT_ID.replaceAll("-", "_")}["each account of ${UNIT_ID}"]`);
  });

  type Template = { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
  test.each<[string, (template: Template) => void, RegExp]>([
    [
      "an IAM resource other than a role",
      (template) => {
        template.Resources.Escalate = { Type: "AWS::IAM::ManagedPolicy", Properties: {} };
      },
      /template resource Escalate is AWS::IAM::ManagedPolicy, which the access map does not model/,
    ],
    [
      // AWS::AccountId has one: the OU's id, standing for each account of it (the organization writer's member role).
      "a pseudo-parameter other than AWS::AccountId",
      (template) => {
        template.Resources.ListFunctionsRole.Properties.RoleName = { Ref: "AWS::Region" };
      },
      /template role ListFunctionsRole refers to AWS::Region, which has no value here; parameters with a value: InventoryRoleArn, AWS::AccountId/,
    ],
    [
      // Fn::Join is evaluated (the organization writer's member role joins its own account into ARNs); others are not.
      "an intrinsic function left in a policy",
      (template) => {
        template.Resources.ListFunctionsRole.Properties.Policies[0].PolicyDocument.Statement[0].Resource = {
          "Fn::Sub": "arn:aws:lambda:*:*:function:*",
        };
      },
      /template role ListFunctionsRole uses Fn::Sub, which the access map does not evaluate/,
    ],
    [
      "a managed policy on the role",
      (template) => {
        template.Resources.ListFunctionsRole.Properties.ManagedPolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"];
      },
      /template role ListFunctionsRole sets ManagedPolicyArns, which the access map does not model/,
    ],
  ])("a template with %s is refused by name", async (_what, change, message) => {
    const json = synthesize(inventoryWith({})).json;
    const [stackSet] = Object.values(json.resource?.aws_cloudformation_stack_set ?? {});
    const template = JSON.parse(stackSet.template_body) as Template;
    change(template);
    stackSet.template_body = JSON.stringify(template);
    await expect(mapOfSynthesized(json)).rejects.toThrow(message);
  });
});
