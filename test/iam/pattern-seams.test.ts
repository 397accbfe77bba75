import { assumeTarget, roleSession } from "../../scripts/access-map/evaluate";
import { WITH_INVENTORY } from "../inventory-fixtures-stack";
import { VENDING_REAL_ACCOUNTS } from "../vending-fixtures";
import { matrix, request } from "./matrix";
import { resolveStack } from "./resolve-stack";

// Every pattern in one stack: the writer, the inventory, vending and an instance role. No pattern's role may use
// another pattern's role, even with everything the other's trust asks for (here: a SourceIdentity).
const stack = resolveStack({
  ...WITH_INVENTORY,
  vending: VENDING_REAL_ACCOUNTS.vending,
  sourcePrincipals: { instanceRoles: [{ name: "batch-ec2", destinations: ["destination"] }] },
});
const session = (roleName: string) => () => roleSession(stack.role(roleName), roleName);
const destination = stack.config.destinations[0];
const vendingRole = () => assumeTarget(stack.role(`${destination.role}-vending`));
const writersDestinationRole = () => assumeTarget(stack.role(destination.role));
const withSourceIdentity = { context: { "sts:SourceIdentity": "reporting@123456789012" } };

describe("IAM matrix: the patterns' roles cannot use each other's", () => {
  const assumeVending = request("sts:AssumeRole", vendingRole);
  const assumeWriters = request("sts:AssumeRole", writersDestinationRole);
  matrix([
    assumeVending.allowed(
      "the vend function's role assumes the vending role with a SourceIdentity",
      session("cross-account-vend"),
      withSourceIdentity,
    ),
    assumeVending.denied(
      "the inventory's execution role may not assume the vending role",
      session("cross-account-inventory"),
      withSourceIdentity,
    ),
    assumeVending.denied(
      "the writer's execution role may not assume the vending role",
      session(stack.config.names.writerRole),
      withSourceIdentity,
    ),
    assumeVending.denied("the instance role may not assume the vending role", session("batch-ec2"), withSourceIdentity),
    assumeWriters.allowed("the instance role assumes the writer's destination role it is given", session("batch-ec2")),
    assumeWriters.denied(
      "the vend function's role may not assume the writer's destination role",
      session("cross-account-vend"),
    ),
    assumeWriters.denied(
      "the inventory's execution role may not assume the writer's destination role",
      session("cross-account-inventory"),
    ),
  ]);
});
