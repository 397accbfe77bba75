import { GetFunctionConfigurationCommand, InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { regionOfFunctionUrl, signedVendRequest } from "../assume/vend-client";
import { invokeDeployedFunction } from "../emulator/bundle-runner";
import type { EmulatorAccount } from "../emulator/emulator-accounts";
import { functionUrlEvent } from "../emulator/function-url-event";
import type { Credentials } from "./credentials";

/** A deployed function with a URL: its name and its URL. */
export interface FunctionWithUrl {
  readonly functionName: string;
  readonly url: string;
}

/** Who calls a function URL: the caller's ARN as IAM reports it, and its credentials to sign with. */
export interface UrlCaller {
  /** `arn:aws:iam::<account>:user/<name>` or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  readonly arn: string;
  readonly credentials: Credentials;
}

/** A function URL's answer: the HTTP status and the body as text. */
export interface UrlAnswer {
  readonly statusCode: number;
  readonly body: string;
}

/**
 * How verify runs a deployed function: on AWS through Lambda itself, on the emulator through the bundle run as
 * Lambda would. Every check goes through this one seam, so its code is the same either way.
 */
export interface FunctionInvoker {
  /** What runs the function, for the report: `lambda:Invoke` or the bundle runner. */
  readonly how: string;
  /** Invokes a function with an event and returns its result; throws with the function's error. */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  /** Sends a POST of `body` to a function's URL, signed as `caller` (unsigned without one). */
  callUrl(target: FunctionWithUrl, caller: UrlCaller | undefined, body: unknown): Promise<UrlAnswer>;
}

/** The real thing: `lambda:Invoke` with the source account's credentials and HTTPS to the function URL. */
export class LambdaInvoker implements FunctionInvoker {
  readonly how = "lambda:Invoke and the function URL over HTTPS";

  constructor(
    private readonly lambda: LambdaClient,
    private readonly sourceRegion: string,
  ) {}

  async invoke(functionName: string, event: unknown): Promise<unknown> {
    const answer = await this.lambda.send(
      new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }),
    );
    const text = answer.Payload ? Buffer.from(answer.Payload).toString("utf8") : "null";
    if (answer.FunctionError)
      throw new Error(`${functionName} failed (${answer.FunctionError}): ${text.slice(0, 500)}`);
    return JSON.parse(text);
  }

  async callUrl(target: FunctionWithUrl, caller: UrlCaller | undefined, body: unknown): Promise<UrlAnswer> {
    const text = JSON.stringify(body);
    let headers: Record<string, string> = { "content-type": "application/json" };
    if (caller) {
      const region = regionOfFunctionUrl(target.url) ?? this.sourceRegion;
      const { destination, access } = body as { destination: string; access: "read" };
      headers = (await signedVendRequest({ url: target.url, destination, access }, caller.credentials, region)).headers;
    }
    const response = await fetch(target.url, { method: "POST", headers, body: text });
    return { statusCode: response.status, body: await response.text() };
  }
}

/**
 * The emulator: moto stores functions but cannot run them or serve their URLs, so the deployed bundle (checked
 * against its CodeSha256) runs as Lambda would, with its environment and its execution role's credentials; a URL
 * call becomes the event Lambda makes of a signed request, with the caller's ARN where IAM puts it.
 */
export class BundleInvoker implements FunctionInvoker {
  readonly how = "the deployed bundle run as Lambda would (the emulator cannot invoke)";

  /** `functionEndpoint`: where the functions' AWS clients go (a fault proxy in tests). @default - the emulator */
  constructor(
    private readonly source: EmulatorAccount,
    private readonly stackDirectory: string,
    private readonly functionEndpoint?: string,
  ) {}

  async invoke(functionName: string, event: unknown): Promise<unknown> {
    const [outcome] = await this.run(functionName, event);
    if ("error" in outcome) throw new Error(`${functionName} failed: ${outcome.error.name}: ${outcome.error.message}`);
    return outcome.result;
  }

  async callUrl(target: FunctionWithUrl, caller: UrlCaller | undefined, body: unknown): Promise<UrlAnswer> {
    const result = (await this.invoke(
      target.functionName,
      functionUrlEvent(caller && { userArn: caller.arn }, body),
    )) as UrlAnswer;
    return { statusCode: result.statusCode, body: result.body };
  }

  private async run(functionName: string, event: unknown) {
    const deployed = await this.source.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    if (!deployed.Role) throw new Error(`${functionName} has no execution role in the emulator`);
    return invokeDeployedFunction(
      this.source,
      this.stackDirectory,
      { functionName, executionRoleArn: deployed.Role },
      [event],
      this.functionEndpoint ? { endpoint: this.functionEndpoint } : {},
    );
  }
}
