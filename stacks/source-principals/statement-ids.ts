/** An IAM statement id from words: letters and digits only, e.g. "InstanceRoleBatchEc2" from "batch-ec2". */
export function statementId(...words: string[]): string {
  return words
    .flatMap((word) => word.split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");
}
