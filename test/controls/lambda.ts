import { rule } from "./rule";
import { blocks, reference, resources } from "./terraform";

/** Node.js runtimes in AWS Lambda's standard support (the writer is Node.js); nodejs20.x and older are deprecated. */
export const SUPPORTED_RUNTIMES: readonly string[] = ["nodejs22.x", "nodejs24.x"];

/** Environment variable names that suggest a secret (CKV_AWS_45). */
export const SECRET_NAME_PATTERN = /SECRET|PASSWORD|PASSWD|TOKEN|ACCESS_KEY|PRIVATE_KEY|API_KEY|CREDENTIAL/i;
/** Values that are secrets whatever their name: AWS access key ids and PEM private keys. */
const SECRET_VALUE_PATTERN = /\b(AKIA|ASIA)[0-9A-Z]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export const lambdaSupportedRuntime = rule(
  "Lambda.2 / CKV_AWS_363",
  `Every zip-packaged function uses a supported runtime (${SUPPORTED_RUNTIMES.join(", ")})`,
  (json, report) => {
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      if (fn.package_type === "Image") continue;
      if (!SUPPORTED_RUNTIMES.includes(fn.runtime))
        report(
          address,
          `runtime ${JSON.stringify(fn.runtime)} is not a supported runtime (${SUPPORTED_RUNTIMES.join(", ")})`,
        );
    }
  },
);

export const lambdaNotPublic = rule(
  "Lambda.1",
  'No function may be invoked by everyone: no permission for principal "*", no function URL without IAM auth',
  (json, report) => {
    for (const [address, permission] of resources(json, "aws_lambda_permission")) {
      if (String(permission.principal).includes("*"))
        report(
          address,
          `grants ${permission.action ?? "lambda:InvokeFunction"} to principal ${JSON.stringify(permission.principal)}`,
        );
      if (permission.function_url_auth_type === "NONE")
        report(address, "grants invocation through a function URL without authentication");
    }
    // The same for the Lambda permissions a CloudFormation stack of the stack makes (the vend function's).
    for (const [address, stack] of resources(json, "aws_cloudformation_stack")) {
      const template = JSON.parse(String(stack.template_body ?? "{}"));
      for (const [logicalId, resource] of Object.entries<{ Type: string; Properties: Record<string, unknown> }>(
        template.Resources ?? {},
      )) {
        if (resource.Type !== "AWS::Lambda::Permission") continue;
        const { Principal: principal, Action: action, FunctionUrlAuthType: urlAuth } = resource.Properties;
        if (String(principal).includes("*"))
          report(`${address} ${logicalId}`, `grants ${action} to principal ${JSON.stringify(principal)}`);
        if (urlAuth === "NONE")
          report(`${address} ${logicalId}`, "grants invocation through a function URL without authentication");
      }
    }
    for (const [address, url] of resources(json, "aws_lambda_function_url")) {
      if (url.authorization_type !== "AWS_IAM")
        report(
          address,
          `function URL has authorization_type ${JSON.stringify(url.authorization_type)}: anyone on the internet may invoke it`,
        );
    }
  },
);

export const logGroupRetention = rule(
  "CKV_AWS_66",
  "Every function logs into a log group of this stack, and every log group has a retention period",
  (json, report) => {
    const logGroups = resources(json, "aws_cloudwatch_log_group");
    for (const [address, logGroup] of logGroups) {
      if (!Number.isInteger(logGroup.retention_in_days) || logGroup.retention_in_days <= 0) {
        report(address, `retention_in_days is ${JSON.stringify(logGroup.retention_in_days)}: logs are kept forever`);
      }
    }
    const names = new Set(logGroups.flatMap(([address, logGroup]) => [logGroup.name, reference(address, "name")]));
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      const logGroup = blocks(fn.logging_config)[0]?.log_group ?? `/aws/lambda/${fn.function_name}`;
      if (!names.has(logGroup))
        report(address, `logs into ${logGroup}, which this stack does not create: Lambda creates it without retention`);
    }
  },
);

export const lambdaNoSecretsInEnvironment = rule(
  "CKV_AWS_45",
  "No function environment variable holds a secret (by its name, or an access key or private key as its value)",
  (json, report) => {
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      const variables: Record<string, unknown> = blocks(fn.environment)[0]?.variables ?? {};
      for (const [name, value] of Object.entries(variables)) {
        if (SECRET_NAME_PATTERN.test(name))
          report(
            address,
            `environment variable ${name} looks like a secret; read it from Secrets Manager or SSM at run time`,
          );
        else if (SECRET_VALUE_PATTERN.test(String(value)))
          report(address, `environment variable ${name} holds what looks like an access key or private key`);
      }
    }
  },
);

export const lambdaTracing = rule("CKV_AWS_50", "Every function has X-Ray active tracing", (json, report) => {
  for (const [address, fn] of resources(json, "aws_lambda_function")) {
    const mode = blocks(fn.tracing_config)[0]?.mode;
    if (mode !== "Active") report(address, `tracing mode is ${JSON.stringify(mode)}, not Active`);
  }
});

export const lambdaReservedConcurrency = rule(
  "CKV_AWS_115",
  "Every function has reserved concurrency",
  (json, report) => {
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      const reserved = fn.reserved_concurrent_executions;
      if (typeof reserved !== "number" || reserved < 0) report(address, "has no reserved concurrency");
    }
  },
  "reserving concurrency fails in new accounts whose limit is 10 (AWS keeps 10 unreserved)",
);

export const lambdaDeadLetterQueue = rule(
  "CKV_AWS_116",
  "Every function has a dead-letter queue or an on-failure destination for asynchronous invocations",
  (json, report) => {
    const withDestination = new Set(
      resources(json, "aws_lambda_function_event_invoke_config")
        .filter(([, config]) =>
          blocks(config.destination_config).some((destination) => blocks(destination.on_failure).length > 0),
        )
        .map(([, config]) => config.function_name),
    );
    for (const [address, fn] of resources(json, "aws_lambda_function")) {
      const hasDlq = blocks(fn.dead_letter_config).some((dlq) => typeof dlq.target_arn === "string");
      const names = [fn.function_name, reference(address, "function_name"), reference(address, "arn")];
      if (!hasDlq && !names.some((name) => withDestination.has(name)))
        report(address, "has no dead-letter queue or on-failure destination");
    }
  },
  "the writer is invoked synchronously and throws on failure; add an on-failure destination if you invoke it asynchronously",
);
