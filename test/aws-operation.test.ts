import type { IncomingMessage } from "node:http";
import { operationOf } from "../scripts/lib/aws-operation";

const signed = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
const request = (headers: Record<string, string>, method = "POST", url = "/") =>
  ({ headers, method, url }) as unknown as IncomingMessage;
const form = (action: string) => Buffer.from(`Action=${action}&Version=2011-06-15`);

describe("operationOf: the Service.Operation the fault proxy counts and matches rules by", () => {
  test.each([
    ["sts", "AssumeRole", "STS.AssumeRole"],
    ["iam", "CreateRole", "IAM.CreateRole"],
    ["cloudformation", "DeleteStackInstances", "CloudFormation.DeleteStackInstances"],
    ["ec2", "DescribeRegions", "EC2.DescribeRegions"],
    ["sns", "Publish", "sns.Publish"],
  ])("a query-protocol request signed for %s names %s by its service", (service, action, expected) => {
    expect(operationOf(request({ authorization: signed(service) }), form(action))).toBe(expected);
  });

  test("an unsigned query request is taken for STS, as the proxy always named them", () => {
    expect(operationOf(request({}), form("AssumeRole"))).toBe("STS.AssumeRole");
  });

  test("JSON protocols by their target header; S3 by its REST shape", () => {
    expect(operationOf(request({ "x-amz-target": "DynamoDB_20120810.PutItem" }), Buffer.from("{}"))).toBe(
      "DynamoDB.PutItem",
    );
    expect(
      operationOf(request({ "x-amz-target": "AWSOrganizationsV20161128.ListAccountsForParent" }), Buffer.from("{}")),
    ).toBe("AWSOrganizationsV20161128.ListAccountsForParent");
    expect(operationOf(request({}, "PUT", "/bucket/key.json"), Buffer.alloc(0))).toBe("S3.PutObject");
    expect(operationOf(request({}, "GET", "/bucket"), Buffer.alloc(0))).toBe("other.GET");
  });
});
