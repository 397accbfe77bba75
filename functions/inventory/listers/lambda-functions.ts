import { type FunctionConfiguration, LambdaClient, paginateListFunctions } from "@aws-sdk/client-lambda";
import type { InventoryRow, Lister, ListerTarget } from "./lister";

export const LAMBDA_FUNCTION = "lambda-function";

/** One Lambda function. Never its environment variables: ListFunctions returns them and they may hold secrets. */
export interface LambdaFunctionRow extends InventoryRow {
  readonly type: typeof LAMBDA_FUNCTION;
  readonly name: string;
  readonly arn: string;
  /** Absent for container images (package type Image). */
  readonly runtime?: string;
  readonly architectures: readonly string[];
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly codeSize?: number;
  readonly lastModified?: string;
  readonly role?: string;
  readonly packageType?: string;
}

/** ListFunctions' largest page. */
export const FUNCTIONS_PAGE_SIZE = 50;

/** The fields kept of a function, by name: an allow-list, so nothing new the API returns leaks into a report. */
export function functionRow(account: string, region: string, fn: FunctionConfiguration): LambdaFunctionRow {
  const optional = {
    runtime: fn.Runtime,
    memorySize: fn.MemorySize,
    timeout: fn.Timeout,
    codeSize: fn.CodeSize,
    lastModified: fn.LastModified,
    role: fn.Role,
    packageType: fn.PackageType,
  };
  return {
    type: LAMBDA_FUNCTION,
    account,
    region,
    name: fn.FunctionName ?? "",
    arn: fn.FunctionArn ?? "",
    architectures: fn.Architectures ?? ["x86_64"],
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

/** Every Lambda function of an account and region, following every page of ListFunctions. */
export const lambdaFunctions: Lister<LambdaFunctionRow> = {
  name: LAMBDA_FUNCTION,
  async *list({ account, region, clientConfig }: ListerTarget) {
    const client = new LambdaClient(clientConfig);
    try {
      const pages = paginateListFunctions({ client, pageSize: FUNCTIONS_PAGE_SIZE }, {});
      for await (const page of pages) {
        for (const fn of page.Functions ?? []) yield functionRow(account, region, fn);
      }
    } finally {
      client.destroy();
    }
  },
};
