/**
 * The pages in AWS: web/dist in a private S3 bucket, served by CloudFront through origin access
 * control, HTTPS only, with the same security headers as `npm start` (infra/local/static.ts).
 * The API's paths are forwarded to the HTTP API on the same distribution, so the pages and the
 * API share one origin as they do locally. Hashed files under /assets/ are cached for a year;
 * index.html and web-config.json are revalidated on every load.
 *
 * cdk-nag (test/infra/nag.test.ts): both buckets enforce TLS and block public access; the pages
 * bucket logs its access to the log bucket, and so does the distribution (CFR3); viewers get TLS
 * 1.2 at least on the hall's own domain (CFR4: `pagesDomain` with a certificate), a WAF web ACL
 * when one is given (CFR2: `pagesWebAclId`); what is not fixed is acknowledged with its reason.
 *
 * AWS's China regions (`china`): CloudFront there serves only an ICP-filed domain with a
 * certificate uploaded to IAM (no ACM, no *.cloudfront.cn), and offers neither CloudFront
 * Functions nor origin access control (cfn-lint's cn-north-1 and cn-northwest-1 schemas have no
 * AWS::CloudFront::Function or ::OriginAccessControl). So the China distribution reads the bucket
 * through an origin access identity, and the pages route after a hash (/#/portal/…): the
 * uploaded index.html carries data-router="hash" (web/src/lib/links.ts), and CloudFront only
 * ever serves / and /index.html of the pages.
 */
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Token, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  CfnDistribution,
  Distribution,
  Function as CfFunction,
  FunctionCode,
  FunctionEventType,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginAccessIdentity,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployedRoutes } from '../routes';
import { PAGE_PREFIXES, SECURITY_HEADERS } from '../local/static';
import { suppress, type Suppression } from './nag';

export const PAGES_DIST = join(__dirname, '..', '..', 'web', 'dist');

export interface WebHostingProps {
  /** The HTTP API whose paths the distribution forwards. */
  api: HttpApi;
  /** What the console signs in with (web-config.json): the hall's OpenID provider. */
  oidc: { issuer: string; clientId: string; scope: string };
  /** The built pages (`npm run build:web`); nothing is uploaded when the folder is missing. */
  pagesDir?: string;
  /** The hall's own domain for the pages, with its certificate; in AWS China required, with an IAM certificate. */
  domain?: PagesDomain;
  /** A WAF web ACL (WAFv2, scope CLOUDFRONT: its ARN; made in us-east-1, or in the China region) to attach. */
  webAclId?: string;
  /** Build for CloudFront in AWS's China regions (see the head of this file). */
  china?: boolean;
}

export interface PagesDomain {
  /** e.g. zwfw.example.gov.cn; in China it must be ICP-filed (ICP备案). */
  domainName: string;
  /** aws partition: an ACM certificate of the domain in us-east-1. */
  acmCertificateArn?: string;
  /** aws-cn partition: the id of the domain's server certificate uploaded to IAM under the path /cloudfront/. */
  iamCertificateId?: string;
}

/** The index.html of a host that cannot route page paths: the pages then route after a hash. */
export function hashRoutedIndex(html: string): string {
  if (!/<html[^>]*>/.test(html)) throw new Error('web/dist/index.html has no <html> element');
  return html.replace(/<html([^>]*)>/, (_m, attrs: string) => `<html${attrs} data-router="hash">`);
}

/** The request headers the API reads (shared/http): forwarded to it by the China distribution. */
export const API_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'Idempotency-Key', 'X-Query-Code'] as const;

/** The first segment of every API path (/items, /cases, …): each gets a behaviour to the API. */
export function apiPathPatterns(): string[] {
  const firsts = new Set(deployedRoutes().map((r) => r.path.split('/')[1]));
  return [...firsts].sort().flatMap((p) => (p.includes('.') ? [`/${p}`] : [`/${p}`, `/${p}/*`]));
}

export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution | CfnDistribution;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    if (props.china && !props.domain?.iamCertificateId) {
      throw new Error(
        'CloudFront in AWS China serves only an ICP-filed domain with a certificate in IAM: give pagesDomain and pagesIamCertificateId',
      );
    }
    if (props.domain && !props.china && !props.domain.acmCertificateArn) {
      throw new Error('pagesDomain needs pagesCertificateArn: an ACM certificate of the domain in us-east-1');
    }
    // Access logs of the bucket and of the distribution; CloudFront's standard logs need ACLs (object writer).
    this.logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(180) }],
    });
    suppress(this.logs, [
      ['AwsSolutions-S1', 'The access-log bucket itself: logging its own access would log the logs without end'],
    ]);
    this.bucket = new Bucket(this, 'Pages', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      publicReadAccess: false,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 's3/',
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'OneWindow pages: the same headers as npm start',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: SECURITY_HEADERS['content-security-policy'], override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    this.distribution = props.china
      ? this.chinaDistribution(props, headers, apiDomain)
      : this.globalDistribution(props, headers, apiDomain);
    // Not fixed, on purpose (cdk-nag AwsSolutions CFR1, CFR2 without a web ACL, CFR4 without a domain, CFR7 in China).
    suppress(this.distribution, [
      ...(props.china
        ? ([
            [
              'AwsSolutions-CFR7',
              'CloudFront in AWS China has no origin access control: an origin access identity reads the bucket',
            ],
          ] as Suppression[])
        : []),
      [
        'AwsSolutions-CFR1',
        "No geo restriction: a hall's citizens apply and follow their cases from wherever they are",
      ],
      ...(props.webAclId
        ? []
        : ([
            [
              'AwsSolutions-CFR2',
              'No web ACL given (pagesWebAclId): the API throttles and locks query codes itself; add one for a hall',
            ],
          ] as Suppression[])),
      ...(props.domain
        ? []
        : ([
            [
              'AwsSolutions-CFR4',
              'The *.cloudfront.net default certificate allows TLSv1; pagesDomain with a certificate sets TLS 1.2',
            ],
          ] as Suppression[])),
    ]);

    const dir = props.pagesDir ?? PAGES_DIST;
    if (existsSync(join(dir, 'index.html'))) {
      // Hashed assets first, cached for a year; then index.html and the config, revalidated each time.
      const assets = new BucketDeployment(this, 'DeployAssets', {
        destinationBucket: this.bucket,
        sources: [Source.asset(dir, { exclude: ['*', '!assets', '!assets/**'] })],
        cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
        prune: false,
      });
      const exclude = [
        'assets',
        'assets/**',
        '.source-hash',
        '.vite',
        '.vite/**',
        ...(props.china ? ['index.html'] : []),
      ];
      const pages = new BucketDeployment(this, 'DeployPages', {
        destinationBucket: this.bucket,
        sources: [
          Source.asset(dir, { exclude }),
          Source.jsonData('web-config.json', { oidc: props.oidc }),
          ...(props.china
            ? [Source.data('index.html', hashRoutedIndex(readFileSync(join(dir, 'index.html'), 'utf8')))]
            : []),
        ],
        cacheControl: [CacheControl.fromString('no-cache')],
        prune: false,
        distribution: this.distribution instanceof Distribution ? this.distribution : undefined,
        distributionPaths: props.china ? undefined : ['/index.html', '/web-config.json'],
      });
      pages.node.addDependency(assets);
      this.acknowledgeDeploymentProvider();
    }
    const host = props.domain?.domainName ?? this.domainName;
    // The name CloudFront gave the distribution: the target of the hall's CNAME when it has a domain.
    new CfnOutput(this, 'DistributionDomainName', { value: this.domainName });
    new CfnOutput(this, 'PagesUrl', { value: props.china ? `https://${host}/#/portal/` : `https://${host}/portal/` });
  }

  readonly logs: Bucket;

  /**
   * The upload runs CDK's own custom resource provider (aws-s3-deployment, one per stack): its role
   * and runtime are aws-cdk-lib's, not ours to shape. Its findings, one by one.
   */
  private acknowledgeDeploymentProvider(): void {
    const stack = Stack.of(this);
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const pagesBucket = stack.resolve((this.bucket.node.defaultChild as CfnBucket).logicalId) as string;
    const why = "CDK's BucketDeployment provider copies CDK's staged assets into the pages bucket";
    for (const provider of stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      suppress(provider, [
        [
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          "CDK's BucketDeployment provider logs with the managed basic execution role",
        ],
        ...['GetObject*', 'GetBucket*', 'List*', 'DeleteObject*', 'Abort*'].map((a): Suppression => [
          `AwsSolutions-IAM5[Action::s3:${a}]`,
          why,
        ]),
        [
          `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*]`,
          why,
        ],
        [`AwsSolutions-IAM5[Resource::<${pagesBucket}.Arn>/*]`, why],
        ['AwsSolutions-IAM5[Resource::*]', 'CloudFront invalidations name no resource (cloudfront:CreateInvalidation)'],
        ['AwsSolutions-L1', "CDK's BucketDeployment provider runs the runtime aws-cdk-lib chose"],
        ['Serverless-LambdaDLQ', 'A deployment-time custom resource: CloudFormation reports its failure'],
        ['Serverless-LambdaTracing', 'A deployment-time custom resource: runs once per deploy, nothing to trace'],
        ['Serverless-LambdaDefaultMemorySize', "CDK's BucketDeployment provider sets its memory itself"],
        ['Serverless-LambdaLatestVersion', "CDK's BucketDeployment provider runs the runtime aws-cdk-lib chose"],
      ]);
    }
  }

  /** The domain CloudFront gives the distribution (*.cloudfront.net; *.cloudfront.cn, unusable, in China). */
  get domainName(): string {
    return this.distribution instanceof Distribution
      ? this.distribution.distributionDomainName
      : this.distribution.attrDomainName;
  }

  private globalDistribution(props: WebHostingProps, headers: ResponseHeadersPolicy, apiDomain: string): Distribution {
    // Page routes (/portal/…, /console/…, /board/…) and / are the single-page app's index.html.
    const spa = new CfFunction(this, 'PageRoutes', {
      comment: 'OneWindow: page routes to index.html',
      code: FunctionCode.fromInline(
        `function handler(event) {
  var r = event.request;
  var first = r.uri.split('/')[1];
  if (r.uri === '/' || ${JSON.stringify(PAGE_PREFIXES)}.indexOf(first) >= 0) r.uri = '/index.html';
  return r;
}`,
      ),
    });

    const s3 = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const toApi: BehaviorOptions = {
      origin: new HttpOrigin(apiDomain),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };

    return new Distribution(this, 'Distribution', {
      comment: 'OneWindow: pages from S3, API from API Gateway',
      defaultRootObject: 'index.html',
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
      webAclId: props.webAclId,
      ...(props.domain?.acmCertificateArn
        ? {
            domainNames: [props.domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.acmCertificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: {
        origin: s3,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spa, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/assets/*': {
          origin: s3,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: headers,
          compress: true,
        },
        ...Object.fromEntries(apiPathPatterns().map((p) => [p, toApi])),
      },
    });
  }

  /**
   * CloudFront in AWS China, written as the resource itself (the L2 Distribution takes only ACM
   * certificates): the ICP-filed domain with its IAM certificate, TLS 1.2 at least; the bucket
   * through an origin access identity; its own cache policy rather than the managed ones of the
   * global partition, and the API's headers forwarded by name (cfn-lint's China schema refuses
   * the origin request policy "allExcept" that the managed AllViewerExceptHostHeader is).
   */
  private chinaDistribution(
    props: WebHostingProps,
    headers: ResponseHeadersPolicy,
    apiDomain: string,
  ): CfnDistribution {
    const domain = props.domain;
    if (!domain?.iamCertificateId) throw new Error('the China distribution needs the domain and its IAM certificate');
    const oai = new OriginAccessIdentity(this, 'OriginAccessIdentity', { comment: 'OneWindow pages' });
    this.bucket.grantRead(oai);
    const pagesCache = new CachePolicy(this, 'PagesCache', {
      comment: 'OneWindow pages: by path only, compressed',
      defaultTtl: Duration.days(1),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(365),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const pages = {
      targetOriginId: 'pages',
      viewerProtocolPolicy: 'https-only',
      allowedMethods: ['GET', 'HEAD'],
      cachedMethods: ['GET', 'HEAD'],
      cachePolicyId: pagesCache.cachePolicyId,
      responseHeadersPolicyId: headers.responseHeadersPolicyId,
      compress: true,
    };
    return new CfnDistribution(this, 'Distribution', {
      distributionConfig: {
        enabled: true,
        comment: 'OneWindow (AWS China): pages from S3, API from API Gateway',
        defaultRootObject: 'index.html',
        aliases: [domain.domainName],
        viewerCertificate: {
          iamCertificateId: domain.iamCertificateId,
          sslSupportMethod: 'sni-only',
          minimumProtocolVersion: 'TLSv1.2_2021',
        },
        logging: { bucket: this.logs.bucketRegionalDomainName, prefix: 'cloudfront/', includeCookies: false },
        ...(props.webAclId ? { webAclId: props.webAclId } : {}),
        httpVersion: 'http2',
        origins: [
          {
            id: 'pages',
            domainName: this.bucket.bucketRegionalDomainName,
            s3OriginConfig: { originAccessIdentity: `origin-access-identity/cloudfront/${oai.originAccessIdentityId}` },
          },
          {
            id: 'api',
            domainName: apiDomain,
            customOriginConfig: { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] },
          },
        ],
        defaultCacheBehavior: pages,
        cacheBehaviors: [
          { ...pages, pathPattern: '/assets/*' },
          ...apiPathPatterns().map((pathPattern) => ({
            pathPattern,
            targetOriginId: 'api',
            viewerProtocolPolicy: 'https-only',
            allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
            cachedMethods: ['GET', 'HEAD'],
            // Never cached; the headers the API reads, named (China's origin request policies have no
            // "all but Host", and API Gateway must get its own Host), with every query string.
            minTtl: 0,
            defaultTtl: 0,
            maxTtl: 0,
            forwardedValues: { queryString: true, headers: [...API_HEADERS], cookies: { forward: 'none' } },
          })),
        ],
      },
    });
  }
}

/** The pages' own stack: the bucket, the distribution and the upload, apart from the API's functions. */
export class PagesStack extends Stack {
  readonly web: WebHosting;
  constructor(
    scope: Construct,
    id: string,
    props: StackProps & {
      api: HttpApi;
      issuer: string;
      clientId: string;
    } & Pick<WebHostingProps, 'domain' | 'webAclId' | 'china' | 'pagesDir'>,
  ) {
    super(scope, id, props);
    this.web = new WebHosting(this, 'Web', {
      api: props.api,
      oidc: { issuer: props.issuer, clientId: props.clientId, scope: 'openid profile' },
      domain: props.domain,
      webAclId: props.webAclId,
      china: props.china,
      pagesDir: props.pagesDir,
    });
  }
}
