/** The CDK app as the infra tests build it: no bundling, the aliyunSms context of cdk.json, for a region or none. */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/aws/app';
import cdkJson from '../../cdk.json';

export const PARTITIONS = [
  { name: 'environment-agnostic (aws, SNS)', region: undefined },
  { name: 'cn-north-1 (aws-cn, Alibaba Cloud SMS)', region: 'cn-north-1' },
  { name: 'cn-northwest-1 (aws-cn, Alibaba Cloud SMS)', region: 'cn-northwest-1' },
] as const;

export function buildFor(region?: string, context: Record<string, unknown> = {}) {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], aliyunSms: cdkJson.context.aliyunSms, ...context },
  });
  return buildApp(app, region ? { region } : {});
}

export function templatesFor(region?: string, context: Record<string, unknown> = {}) {
  const built = buildFor(region, context);
  return {
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
  };
}
