/**
 * cdk-nag (AwsSolutions and Serverless packs; test/infra/nag.test.ts runs them on both
 * partitions): a finding that is accepted is acknowledged where the resource is made, each with
 * its reason in one line, so the reason sits beside what it excuses. An acknowledgement covers
 * the construct and everything inside it; a rule with several findings per resource (IAM5) is
 * acknowledged per finding, `AwsSolutions-IAM5[Resource::*]`.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export type Suppression = [id: string, reason: string];

export function suppress(construct: IConstruct, suppressions: readonly Suppression[]): void {
  for (const [id, reason] of suppressions) Validations.of(construct).acknowledge({ id, reason });
}
