import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import {
  parseViaArguments,
  regionOfFunctionUrl,
  requestVendedCredentials,
  signedVendRequest,
  VendRefusedError,
} from "../scripts/assume/vend-client";
import { UsageError } from "../scripts/shared/process";

const URL_EU = "https://abcdef0123456789.lambda-url.eu-west-1.on.aws/";
const CREDENTIALS = { accessKeyId: "ASIACALLER", secretAccessKey: "caller-secret", sessionToken: "caller-token" };

describe("npm run assume -- <destination> --via <url>", () => {
  test("parses destination, URL, access (read by default), purpose, duration and format", () => {
    expect(parseViaArguments(["analytics", "--via", URL_EU])).toEqual({
      url: URL_EU,
      destination: "analytics",
      access: "read",
      format: "env",
    });
    expect(
      parseViaArguments([
        "analytics",
        "--via",
        URL_EU,
        "--access",
        "write",
        "--purpose",
        "nightly",
        "--duration",
        "1800",
        "--format",
        "json",
      ]),
    ).toEqual({
      url: URL_EU,
      destination: "analytics",
      access: "write",
      purpose: "nightly",
      durationSeconds: 1800,
      format: "json",
    });
  });

  test.each([
    [
      "a plain-http URL",
      ["analytics", "--via", "http://example.com/"],
      '--via must be the vending function\'s https URL (output vend-function-url), got "http://example.com/"',
    ],
    [
      "an unknown access",
      ["analytics", "--via", URL_EU, "--access", "admin"],
      '--access must be one of read, write, read-write, got "admin"',
    ],
    [
      "a duration over role chaining's hour",
      ["analytics", "--via", URL_EU, "--duration", "7200"],
      'from 900 to 3600 (role chaining), got "7200"',
    ],
    ["no destination", ["--via", URL_EU], 'give one destination name, got ""'],
    ["an unknown option", ["analytics", "--via", URL_EU, "--role", "x"], 'unknown option "--role"'],
    ["--via without a value", ["analytics", "--via"], "--via needs a value"],
  ])("refuses %s, naming the value and what is allowed", (_what, args, message) => {
    expect(() => parseViaArguments(args)).toThrow(UsageError);
    expect(() => parseViaArguments(args)).toThrow(message);
  });

  test("takes the signing region from the function URL", () => {
    expect(regionOfFunctionUrl(URL_EU)).toBe("eu-west-1");
    expect(regionOfFunctionUrl("https://vend.example.com/")).toBeUndefined();
  });

  test("signs a POST with SigV4 for service lambda: a verifier re-deriving the signature from the request agrees", async () => {
    const signed = await signedVendRequest(
      { url: URL_EU, destination: "analytics", access: "read", purpose: "nightly" },
      CREDENTIALS,
      "eu-west-1",
    );
    expect(signed.method).toBe("POST");
    expect(JSON.parse(signed.body as string)).toEqual({ destination: "analytics", access: "read", purpose: "nightly" });
    expect(signed.headers["x-amz-security-token"]).toBe("caller-token");
    const authorization = signed.headers.authorization;
    const date = signed.headers["x-amz-date"];
    expect(authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=ASIACALLER/${date.slice(0, 8)}/eu-west-1/lambda/aws4_request, SignedHeaders=[^ ]*host[^ ]*x-amz-date[^ ]*x-amz-security-token, Signature=[0-9a-f]{64}$`,
      ),
    );

    // What Lambda does on receipt: derive the signature again from method, path, headers and body at the signed time.
    const verifier = new SignatureV4({
      service: "lambda",
      region: "eu-west-1",
      credentials: CREDENTIALS,
      sha256: Sha256,
    });
    const {
      authorization: _dropped,
      "x-amz-date": _date,
      "x-amz-security-token": _token,
      "x-amz-content-sha256": payloadHash,
      ...unsigned
    } = signed.headers;
    expect(payloadHash).toBe(
      createHash("sha256")
        .update(signed.body as string)
        .digest("hex"),
    );
    const received = (body: string) =>
      new HttpRequest({
        method: "POST",
        protocol: "https:",
        hostname: signed.hostname,
        path: "/",
        headers: { ...unsigned },
        body,
      });
    const signingDate = new Date(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
    const again = (await verifier.sign(received(signed.body as string), { signingDate })) as HttpRequest;
    expect(again.headers.authorization).toBe(authorization);
    // A body changed on the way no longer matches.
    const tampered = (await verifier.sign(received(JSON.stringify({ destination: "analytics", access: "write" })), {
      signingDate,
    })) as HttpRequest;
    expect(tampered.headers.authorization).not.toBe(authorization);
  });

  describe("answers of a function URL (a local HTTP server standing in for it)", () => {
    let server: Server;
    let url: string;
    let answer: { status: number; body: string };
    beforeAll(async () => {
      server = createServer((_request, response) =>
        response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body),
      );
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const ask = async () =>
      requestVendedCredentials(
        await signedVendRequest({ url, destination: "analytics", access: "read" }, CREDENTIALS, "us-east-1"),
        url,
      );

    test("200 gives the credential_process fields", async () => {
      const vended = {
        Version: 1,
        AccessKeyId: "ASIAV",
        SecretAccessKey: "s",
        SessionToken: "t",
        Expiration: "2030-01-01T00:00:00.000Z",
      };
      answer = { status: 200, body: JSON.stringify(vended) };
      expect(await ask()).toEqual({
        AccessKeyId: "ASIAV",
        SecretAccessKey: "s",
        SessionToken: "t",
        Expiration: "2030-01-01T00:00:00.000Z",
      });
    });

    test.each([
      [
        403,
        "arn:aws:sts::111111111111:assumed-role/x/y is not a caller of this vending function",
        "answered 403 (refused",
      ],
      [400, "the body must be JSON", "answered 400 (the request was malformed)"],
      [
        502,
        "AssumeRole on arn:aws:iam::222222222222:role/r-vending was denied",
        "answered 502 (the function could not assume",
      ],
    ])("%i is an error with the function's own message", async (status, error, meaning) => {
      answer = { status, body: JSON.stringify({ error }) };
      const refused = ask();
      await expect(refused).rejects.toThrow(VendRefusedError);
      await expect(ask()).rejects.toThrow(`${meaning}`);
      await expect(ask()).rejects.toThrow(error);
    });
  });
});
