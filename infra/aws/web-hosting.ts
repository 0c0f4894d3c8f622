/**
 * The pages in AWS: web/dist in a private S3 bucket, served by CloudFront through origin access
 * control, HTTPS only, with the same security headers as `npm start` (infra/local/static.ts).
 * The API's paths are forwarded to the HTTP API on the same distribution, so the pages and the
 * API share one origin as they do locally. Hashed files under /assets/ are cached for a year;
 * index.html and web-config.json are revalidated on every load.
 */
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CfFunction,
  FunctionCode,
  FunctionEventType,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deployedRoutes } from '../routes';
import { PAGE_PREFIXES, SECURITY_HEADERS } from '../local/static';

export const PAGES_DIST = join(__dirname, '..', '..', 'web', 'dist');

export interface WebHostingProps {
  /** The HTTP API whose paths the distribution forwards. */
  api: HttpApi;
  /** What the console signs in with (web-config.json): the hall's OpenID provider. */
  oidc: { issuer: string; clientId: string; scope: string };
  /** The built pages (`npm run build:web`); nothing is uploaded when the folder is missing. */
  pagesDir?: string;
}

/** The first segment of every API path (/items, /cases, …): each gets a behaviour to the API. */
export function apiPathPatterns(): string[] {
  const firsts = new Set(deployedRoutes().map((r) => r.path.split('/')[1]));
  return [...firsts].sort().flatMap((p) => (p.includes('.') ? [`/${p}`] : [`/${p}`, `/${p}/*`]));
}

export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Pages', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      publicReadAccess: false,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
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
    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    const toApi: BehaviorOptions = {
      origin: new HttpOrigin(apiDomain),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'OneWindow: pages from S3, API from API Gateway',
      defaultRootObject: 'index.html',
      priceClass: PriceClass.PRICE_CLASS_ALL,
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

    const dir = props.pagesDir ?? PAGES_DIST;
    if (existsSync(join(dir, 'index.html'))) {
      // Hashed assets first, cached for a year; then index.html and the config, revalidated each time.
      const assets = new BucketDeployment(this, 'DeployAssets', {
        destinationBucket: this.bucket,
        sources: [Source.asset(dir, { exclude: ['*', '!assets', '!assets/**'] })],
        cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
        prune: false,
      });
      const pages = new BucketDeployment(this, 'DeployPages', {
        destinationBucket: this.bucket,
        sources: [
          Source.asset(dir, { exclude: ['assets', 'assets/**', '.source-hash', '.vite', '.vite/**'] }),
          Source.jsonData('web-config.json', { oidc: props.oidc }),
        ],
        cacheControl: [CacheControl.fromString('no-cache')],
        prune: false,
        distribution: this.distribution,
        distributionPaths: ['/index.html', '/web-config.json'],
      });
      pages.node.addDependency(assets);
    }
    new CfnOutput(this, 'PagesUrl', { value: `https://${this.distribution.distributionDomainName}/portal/` });
  }
}

/** The pages' own stack: the bucket, the distribution and the upload, apart from the API's functions. */
export class PagesStack extends Stack {
  readonly web: WebHosting;
  constructor(scope: Construct, id: string, props: StackProps & { api: HttpApi; issuer: string; clientId: string }) {
    super(scope, id, props);
    this.web = new WebHosting(this, 'Web', {
      api: props.api,
      oidc: { issuer: props.issuer, clientId: props.clientId, scope: 'openid profile' },
    });
  }
}
