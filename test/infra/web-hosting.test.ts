import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiPathPatterns, hashRoutedIndex, WebHosting } from '../../infra/aws/web-hosting';
import { buildApp } from '../../infra/aws/app';
import { buildFor } from './synth';

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

describe('the pages in AWS: logs, TLS and the China variant', () => {
  const pagesDir = mkdtempSync(join(tmpdir(), 'onewindow-pages-cn-'));
  mkdirSync(join(pagesDir, 'assets'));
  writeFileSync(join(pagesDir, 'index.html'), '<!doctype html><html lang="zh-CN"><title>t</title></html>');
  writeFileSync(join(pagesDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  afterAll(() => {
    rmSync(pagesDir, { recursive: true, force: true });
  });
  const china = { pagesDir, pagesDomain: 'zwfw.example.gov.cn', pagesIamCertificateId: 'ASCAEXAMPLEIAMCERTID01' };
  /** CloudFront's resource types that CloudFormation offers in cn-north-1 and cn-northwest-1 (cfn-lint 1.51's region schemas). */
  const CLOUDFRONT_IN_CHINA = [
    'AWS::CloudFront::CachePolicy',
    'AWS::CloudFront::CloudFrontOriginAccessIdentity',
    'AWS::CloudFront::Distribution',
    'AWS::CloudFront::KeyGroup',
    'AWS::CloudFront::OriginRequestPolicy',
    'AWS::CloudFront::PublicKey',
    'AWS::CloudFront::RealtimeLogConfig',
    'AWS::CloudFront::ResponseHeadersPolicy',
    'AWS::CloudFront::StreamingDistribution',
  ];
  const pagesOf = (built: ReturnType<typeof buildFor>) => Template.fromStack(built.pages!);

  it('logs the bucket and the distribution to a private log bucket, and serves TLS 1.2 at least on the hall’s domain', () => {
    // Arrange
    const template = pagesOf(
      buildFor(undefined, {
        pagesDir,
        pagesDomain: 'zwfw.example.gov.cn',
        pagesCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/0b1c2d3e-aaaa-bbbb-cccc-123456789012',
      }),
    );
    // Act
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0] as any;
    const buckets = Object.entries(template.findResources('AWS::S3::Bucket')) as [string, any][];
    const pages = buckets.find(([, b]) => b.Properties.LoggingConfiguration);
    // Assert
    expect(pages?.[1].Properties.LoggingConfiguration.LogFilePrefix).toBe('s3/');
    const logsId = pages![1].Properties.LoggingConfiguration.DestinationBucketName.Ref;
    expect(buckets.find(([id]) => id === logsId)![1].Properties.PublicAccessBlockConfiguration.BlockPublicPolicy).toBe(
      true,
    );
    expect(distribution.Properties.DistributionConfig.Logging).toEqual(
      expect.objectContaining({ Prefix: 'cloudfront/', Bucket: { 'Fn::GetAtt': [logsId, 'RegionalDomainName'] } }),
    );
    expect(distribution.Properties.DistributionConfig.Aliases).toEqual(['zwfw.example.gov.cn']);
    expect(distribution.Properties.DistributionConfig.ViewerCertificate).toEqual(
      expect.objectContaining({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }),
    );
  });

  it('builds no pages stack for AWS China without an ICP-filed domain and its IAM certificate, and says what to give', () => {
    // Act
    const built = buildFor('cn-north-1');
    // Assert
    expect(built.pages).toBeUndefined();
    expect(
      built.stateless.node.metadata.some((m) => m.type === 'aws:cdk:info' && String(m.data).includes('pagesDomain')),
    ).toBe(true);
  });

  it.each(['cn-north-1', 'cn-northwest-1'])(
    'builds the China pages in %s from resources CloudFront offers there: the ICP-filed domain with its IAM certificate, an origin access identity, no edge function',
    (region) => {
      // Arrange
      const template = pagesOf(buildFor(region, china));
      // Act
      const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type);
      const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0] as any;
      const config = distribution.Properties.DistributionConfig;
      const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as any[];
      // Assert
      for (const type of types.filter((t) => t.startsWith('AWS::CloudFront::'))) {
        expect({ type, offered: CLOUDFRONT_IN_CHINA.includes(type) }).toEqual({ type, offered: true });
      }
      expect(config.Aliases).toEqual(['zwfw.example.gov.cn']);
      expect(config.ViewerCertificate).toEqual({
        IamCertificateId: 'ASCAEXAMPLEIAMCERTID01',
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: 'TLSv1.2_2021',
      });
      const s3 = config.Origins.find((o: any) => o.Id === 'pages');
      expect(s3.S3OriginConfig.OriginAccessIdentity['Fn::Join'][1][0]).toBe('origin-access-identity/cloudfront/');
      expect(JSON.stringify(config)).not.toMatch(/FunctionAssociations|OriginAccessControlId/);
      const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
      expect(statements.some((st) => st.Effect === 'Allow' && st.Principal?.CanonicalUser)).toBe(true);
      expect(statements.filter((st) => st.Effect === 'Allow').some((st) => st.Principal === '*')).toBe(false);
      // Every API path still goes to the API, uncached; the pages are / and /index.html and /assets/*.
      const api = config.CacheBehaviors.filter((b: any) => b.TargetOriginId === 'api').map((b: any) => b.PathPattern);
      expect(api.sort()).toEqual(apiPathPatterns().sort());
      expect(config.DefaultRootObject).toBe('index.html');
    },
  );

  it('marks the China index.html to route pages after a hash, keeping the rest of the file', () => {
    // Act
    const html = hashRoutedIndex('<!doctype html>\n<html lang="zh-CN">\n<head></head></html>');
    // Assert
    expect(html).toBe('<!doctype html>\n<html lang="zh-CN" data-router="hash">\n<head></head></html>');
    expect(() => hashRoutedIndex('<p>no html element</p>')).toThrow(/no <html> element/);
  });

  it('refuses a China distribution without the IAM certificate, naming the settings', () => {
    // Arrange
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Pages', { env: { region: 'cn-north-1' } });
    // Act
    const build = () =>
      new WebHosting(stack, 'Web', {
        api: new HttpApi(stack, 'Api'),
        china: true,
        domain: { domainName: 'zwfw.example.gov.cn' },
        oidc: {
          issuer: 'https://idp.example.gov.cn/realms/hall',
          clientId: 'onewindow-console',
          scope: 'openid profile',
        },
      });
    // Assert
    expect(build).toThrow(/pagesDomain and pagesIamCertificateId/);
  });
});
