import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiPathPatterns, WebHosting } from '../../infra/aws/web-hosting';
import { buildApp } from '../../infra/aws/app';

function synth(pagesDir: string) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Pages', { env: { account: '111111111111', region: 'ap-east-1' } });
  const api = new HttpApi(stack, 'Api');
  new WebHosting(stack, 'Web', {
    api,
    pagesDir,
    oidc: { issuer: 'https://idp.example.gov.cn/realms/hall', clientId: 'onewindow-console', scope: 'openid profile' },
  });
  return Template.fromStack(stack);
}

describe('the pages in AWS (infra/aws/web-hosting.ts)', () => {
  const pagesDir = mkdtempSync(join(tmpdir(), 'onewindow-pages-'));
  mkdirSync(join(pagesDir, 'assets'));
  writeFileSync(join(pagesDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(pagesDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  const template = synth(pagesDir);
  afterAll(() => {
    rmSync(pagesDir, { recursive: true, force: true });
  });

  it('keeps the bucket private: every public access blocked, no public policy, reachable only by the distribution', () => {
    // Arrange
    const buckets = template.findResources('AWS::S3::Bucket');
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as any[];
    // Act
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    // Assert
    const pages = Object.values(buckets).find((b: any) => b.Properties?.PublicAccessBlockConfiguration) as any;
    expect(pages.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(pages.Properties.WebsiteConfiguration).toBeUndefined();
    expect(allows.length).toBeGreaterThan(0);
    for (const s of allows) {
      expect(s.Principal).not.toBe('*');
      expect(s.Principal?.AWS).not.toBe('*');
    }
    const viaCloudFront = allows.filter((s) => s.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(viaCloudFront).toHaveLength(1);
    expect(viaCloudFront[0].Condition.StringEquals['AWS:SourceArn']).toBeDefined();
    expect(statements.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(
      true,
    );
  });

  it('serves through origin access control, HTTPS only, with security headers and a year of caching for hashed assets', () => {
    // Arrange
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution')) as any[];
    const config = distribution.Properties.DistributionConfig;
    // Act
    const behaviours = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
    const assets = config.CacheBehaviors.find((b: any) => b.PathPattern === '/assets/*');
    // Assert
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    expect(config.Origins.find((o: any) => o.S3OriginConfig).OriginAccessControlId).toBeDefined();
    expect(behaviours.every((b: any) => b.ViewerProtocolPolicy === 'https-only')).toBe(true);
    expect(assets).toBeDefined();
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({
            ContentSecurityPolicy: Match.stringLikeRegexp("script-src 'self'"),
          }),
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31536000 }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    template.hasResourceProperties('Custom::CDKBucketDeployment', { SystemMetadata: { 'cache-control': 'no-cache' } });
  });

  it('forwards every API path to the HTTP API uncached, so pages and API share one origin', () => {
    // Arrange
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution')) as any[];
    const patterns = distribution.Properties.DistributionConfig.CacheBehaviors.map((b: any) => b.PathPattern);
    // Act
    const expected = apiPathPatterns();
    // Assert
    expect(expected).toEqual(expect.arrayContaining(['/items', '/items/*', '/cases', '/cases/*', '/openapi.json']));
    expect(patterns).toEqual(expect.arrayContaining(expected));
    expect(expected.some((p) => /^\/(portal|console|board|assets)/.test(p))).toBe(false);
  });

  it('is a stack of the CDK app, in front of the API of the stateless stack', () => {
    // Arrange
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    buildApp(app);
    // Act
    const pages = Stack.of(app.node.findChild('OneWindowPages'));
    const template = Template.fromStack(pages);
    // Assert
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    expect(pages.dependencies.map((d) => d.stackName)).toContain('OneWindowStateless');
  });
});
