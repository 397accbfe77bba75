import { WRITER_ENVIRONMENT } from "../../functions/writer/environment";
import { assumeTarget, roleSession } from "../../scripts/access-map/evaluate";
import { REAL_ACCOUNTS, THREE_DESTINATIONS } from "../synth";
import { actors, administratorOf, EXTERNAL_ID, matrix, ORGANIZATION_ID, request } from "./matrix";
import { resolveStack } from "./resolve-stack";

describe("IAM matrix: externalId configured [aws-rule sts-external-id]", () => {
  const { destinationRole, environment, writer, otherSourceRole } = actors(
    resolveStack({ ...REAL_ACCOUNTS, externalId: EXTERNAL_ID }),
  );
  const assumeDestination = request("sts:AssumeRole", () => assumeTarget(destinationRole));
  const sending = (externalId: string) => ({ context: { "sts:ExternalId": externalId } });

  test("the writer's environment carries the configured ExternalId (the value the ALLOWED case sends)", () => {
    expect(environment[WRITER_ENVIRONMENT.externalId]).toBe(EXTERNAL_ID);
  });

  matrix([
    assumeDestination.allowed(
      "the writer sending the right sts:ExternalId assumes the destination role",
      writer,
      sending(EXTERNAL_ID),
    ),
    assumeDestination.denied(
      "the writer sending a wrong sts:ExternalId may not assume it",
      writer,
      sending(`${EXTERNAL_ID}-wrong`),
    ),
    assumeDestination.denied("the writer sending no sts:ExternalId may not assume it", writer),
    assumeDestination.denied(
      "another source role sending the right sts:ExternalId may not assume it (the ExternalId is no credential)",
      otherSourceRole,
      sending(EXTERNAL_ID),
    ),
  ]);
});

describe("IAM matrix: trustMode account-with-principal-arn", () => {
  const { source, destinationRole, writer, otherSourceRole, sourceAdministrator } = actors(
    resolveStack({ ...REAL_ACCOUNTS, trustMode: "account-with-principal-arn" }),
  );
  const assumeDestination = request("sts:AssumeRole", () => assumeTarget(destinationRole));

  matrix([
    assumeDestination.allowed("the writer (aws:PrincipalArn = its role ARN) assumes the destination role", writer, {
      sameAccount: false,
    }),
    assumeDestination.denied(
      "another source role allowed sts:AssumeRole on * (aws:PrincipalArn = its own ARN) may not assume it",
      otherSourceRole,
    ),
    assumeDestination.denied(
      "an IAM user of the source account with AdministratorAccess may not assume it",
      sourceAdministrator,
    ),
    assumeDestination.denied("the source account's root user may not assume it", () =>
      administratorOf(source.accountId, "root"),
    ),
  ]);
});

describe("IAM matrix: organizationId configured [aws-rule iam-principal-org-id]", () => {
  const { destinationRole, writer, otherSourceRole } = actors(
    resolveStack({ ...REAL_ACCOUNTS, organizationId: ORGANIZATION_ID }),
  );
  const assumeDestination = request("sts:AssumeRole", () => assumeTarget(destinationRole));
  const inOrganization = (organizationId: string) => ({ "aws:PrincipalOrgID": organizationId });

  matrix([
    assumeDestination.allowed(
      "the writer in the configured organization (aws:PrincipalOrgID matches) assumes the destination role",
      () => writer(inOrganization(ORGANIZATION_ID)),
    ),
    assumeDestination.denied("the writer in another organization may not assume it", () =>
      writer(inOrganization("o-zzzzzzzzzz")),
    ),
    assumeDestination.denied("the writer in no organization (no aws:PrincipalOrgID) may not assume it", writer),
    assumeDestination.denied("another source role of the same organization may not assume it", () =>
      otherSourceRole(inOrganization(ORGANIZATION_ID)),
    ),
  ]);
});

describe("IAM matrix: a destination with its own ExternalId [aws-rule sts-external-id]", () => {
  const stack = resolveStack({
    ...THREE_DESTINATIONS,
    externalId: EXTERNAL_ID,
    destinations: THREE_DESTINATIONS.destinations!.map((destination) =>
      destination.name === "archive" ? { ...destination, externalId: "archive-only" } : destination,
    ),
  });
  const writerRole = stack.role(stack.config.names.writerRole);
  const writer = (externalId: string) => () =>
    roleSession(writerRole, stack.config.names.writerFunction, { "sts:ExternalId": externalId });
  const assume = (name: string) =>
    request("sts:AssumeRole", () => assumeTarget(stack.role(`assume-role-via-111111111111-${name}`)));
  const [assumeArchive, assumeAnalytics] = [assume("archive"), assume("analytics")];

  matrix([
    assumeArchive.allowed("the writer assumes the archive role with archive's own ExternalId", writer("archive-only")),
    assumeArchive.denied(
      "the writer may not assume the archive role with the config-wide ExternalId",
      writer(EXTERNAL_ID),
    ),
    assumeAnalytics.allowed(
      "the writer assumes the analytics role with the config-wide ExternalId",
      writer(EXTERNAL_ID),
    ),
    assumeAnalytics.denied(
      "the writer may not assume the analytics role with archive's ExternalId",
      writer("archive-only"),
    ),
  ]);
});
