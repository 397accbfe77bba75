import type { ConfigRule } from "./config-rule";

/** The cross-field rules of `tableEncryption`. */
export const TABLE_ENCRYPTION_RULES: readonly ConfigRule[] = [
  {
    name: "table-key-in-destination-account-and-region",
    check: (file, destinations) =>
      destinations.flatMap((destination, index) => {
        const encryption = destination.tableEncryption;
        if (typeof encryption === "string") return [];
        const [, , , region, account] = encryption.kmsKeyArn.split(":");
        if (region === destination.region && account === destination.accountId) return [];
        const ownKey = file.destinations?.[index]?.tableEncryption !== undefined;
        const where = ownKey ? `destinations.${index}.tableEncryption` : "tableEncryption";
        return [
          `${where}.kmsKeyArn must be a key in destination ${destination.name}'s account ${destination.accountId} and ` +
            `region ${destination.region} (KMS keys are regional; DynamoDB uses a customer managed key of the table's ` +
            `account), got "${encryption.kmsKeyArn}"`,
        ];
      }),
  },
];
