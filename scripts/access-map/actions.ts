// The bottom of the access map: the actions it asks about, used by its targets and by the names a picture shows.

/** The actions that matter, by kind of resource: put, get, delete, list, then the admin ones. */
export const ACTIONS = {
  table: [
    "dynamodb:PutItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:UpdateItem",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:DeleteItem",
    "dynamodb:DeleteTable",
    "dynamodb:UpdateTable",
  ],
  objects: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
  bucket: ["s3:ListBucket", "s3:PutBucketPolicy", "s3:DeleteBucket"],
  logStreams: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:GetLogEvents"],
  logGroup: ["logs:DescribeLogStreams", "logs:DeleteLogGroup", "logs:PutRetentionPolicy"],
  role: ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRole", "iam:PassRole"],
  function: ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl", "lambda:UpdateFunctionCode", "lambda:AddPermission"],
  account: ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"],
} as const;

/** The admin actions: a row holding any of them is flagged. */
export const ADMIN_ACTIONS: ReadonlySet<string> = new Set([
  "dynamodb:DeleteTable",
  "dynamodb:UpdateTable",
  "s3:PutBucketPolicy",
  "s3:DeleteBucket",
  "logs:DeleteLogGroup",
  "logs:PutRetentionPolicy",
  ...ACTIONS.role,
  "lambda:UpdateFunctionCode",
  "lambda:AddPermission",
  ...ACTIONS.account,
]);
