// The organization writer's contract between the stack (which makes the central stores and roles) and the client
// that writes through them: the session tag that carries the caller's account, and the central table's key.

/**
 * The session tag every member sets on its session of the central role. The central role's trust requires it to
 * equal the caller's own account (aws:PrincipalAccount at AssumeRole), and its permissions use it as the partition:
 * after the assume, aws:PrincipalAccount is the central account, so the tag is what still names the member.
 */
export const ACCOUNT_TAG = "organization-writer-account";

/** The central table's partition key: the writing member's account id. */
export const PARTITION_KEY = "account";
/** The central table's sort key: the record's id, unique within its account. */
export const SORT_KEY = "id";

/** Where a member writes: what the stack outputs and the client reads. */
export interface OrganizationWriterSettings {
  /** The central role every member's role may assume. */
  readonly centralRoleArn: string;
  readonly tableName: string;
  readonly bucketName: string;
  /** Objects go to `<bucketPrefix>/<account>/<id>.json`. */
  readonly bucketPrefix: string;
  /** The central account's region: of the table, the bucket and the STS endpoint the client asks. */
  readonly region: string;
}

/** The object key of a record: under the caller's account partition, where the central role may put it. */
export function recordObjectKey(
  settings: Pick<OrganizationWriterSettings, "bucketPrefix">,
  account: string,
  id: string,
) {
  return `${settings.bucketPrefix}/${account}/${id}.json`;
}
