/**
 * The CDK app: `npm run synth` (offline) or `npx cdk deploy --all` with credentials.
 *
 * Where it is synthesized for. `CDK_DEFAULT_REGION=cn-north-1 npm run synth` targets that region
 * (and so its partition, aws-cn); with no region the stacks are environment-agnostic and every
 * ARN names `${AWS::Partition}` and `${AWS::Region}`, resolved where they are deployed. (The CDK
 * CLI overwrites CDK_DEFAULT_REGION with its own default, us-east-1, before it runs the app, so
 * `npm run synth` hands the region the user gave on as ONEWINDOW_REGION; `-c region=...` works too.)
 *
 * The SMS provider: `-c smsProvider=sns|aliyun`; by default Alibaba Cloud SMS in AWS's China
 * regions (SNS sends no SMS from there), SNS elsewhere.
 */
import { Annotations, App } from 'aws-cdk-lib';
import { StatefulStack } from './stateful-stack';
import { StatelessStack, type AliyunSmsSettings } from './stateless-stack';
import { providerTemplateProblems } from '../../shared/domain/provider-sms';
import { PagesStack } from './web-hosting';

export type SmsProvider = 'sns' | 'aliyun';

export interface AppSettings {
  /** A concrete region, or undefined for environment-agnostic stacks. */
  region?: string;
  smsProvider: SmsProvider;
}

export function appSettings(app: App, env: Record<string, string | undefined> = process.env): AppSettings {
  const region = (app.node.tryGetContext('region') as string | undefined) || env.ONEWINDOW_REGION || undefined;
  const asked = app.node.tryGetContext('smsProvider') as string | undefined;
  if (asked !== undefined && asked !== 'sns' && asked !== 'aliyun') {
    throw new Error(`smsProvider must be sns or aliyun, not "${asked}"`);
  }
  const smsProvider: SmsProvider = asked ?? (region?.startsWith('cn-') ? 'aliyun' : 'sns');
  return { region, smsProvider };
}

export function buildApp(
  app = new App(),
  settings: Partial<AppSettings> = {},
): { app: App; stateful: StatefulStack; stateless: StatelessStack; pages?: PagesStack; settings: AppSettings } {
  const resolved: AppSettings = { ...appSettings(app), ...settings };
  if (settings.region && !settings.smsProvider) {
    resolved.smsProvider = settings.region.startsWith('cn-') ? 'aliyun' : 'sns';
  }
  const ctx = <T>(key: string, fallback: T) => (app.node.tryGetContext(key) as T | undefined) ?? fallback;
  // No account: the templates never name one; the deploying credentials do.
  const env = resolved.region ? { region: resolved.region } : undefined;
  const stateful = new StatefulStack(app, 'OneWindowStateful', { env, smsProvider: resolved.smsProvider });
  const stateless = new StatelessStack(app, 'OneWindowStateless', {
    env,
    table: stateful.table,
    piiHashKey: stateful.piiHashKey,
    inboundSmsTopic: stateful.inboundSmsTopic,
    smsProvider: resolved.smsProvider,
    aliyunSms: resolved.smsProvider === 'aliyun' ? aliyunSettings(app, stateful) : undefined,
    jwtIssuer: ctx('jwtIssuer', 'https://idp.example.gov.cn/realms/hall'),
    jwtAudience: ctx('jwtAudience', 'onewindow'),
    jwksUrl: ctx('jwksUrl', 'https://idp.example.gov.cn/realms/hall/protocol/openid-connect/certs'),
    notifyConcurrency: Number(ctx<string | number>('notifyConcurrency', 5)),
    alarmEmail: ctx<string | undefined>('alarmEmail', undefined),
  });
  // The pages (web/dist) behind CloudFront, forwarding the API: its own stack, deployed after the API.
  // In AWS's China regions CloudFront serves only an ICP-filed domain with a certificate in IAM, so
  // the stack is built there once pagesDomain and pagesIamCertificateId are given (README, "A hall
  // in mainland China"); infra/aws/web-hosting.ts says what differs.
  const china = resolved.region?.startsWith('cn-') ?? false;
  const domainName = ctx<string | undefined>('pagesDomain', undefined);
  const iamCertificateId = ctx<string | undefined>('pagesIamCertificateId', undefined);
  const acmCertificateArn = ctx<string | undefined>('pagesCertificateArn', undefined);
  let pages: PagesStack | undefined;
  if (!china || (domainName && iamCertificateId)) {
    pages = new PagesStack(app, 'OneWindowPages', {
      env,
      api: stateless.api,
      issuer: ctx('jwtIssuer', 'https://idp.example.gov.cn/realms/hall'),
      clientId: ctx('webClientId', 'onewindow-console'),
      china,
      domain: domainName ? { domainName, iamCertificateId, acmCertificateArn } : undefined,
      webAclId: ctx<string | undefined>('pagesWebAclId', undefined),
      pagesDir: ctx<string | undefined>('pagesDir', undefined),
    });
  } else {
    Annotations.of(stateless).addInfo(
      'No pages stack: in AWS China give -c pagesDomain=<ICP-filed domain> -c pagesIamCertificateId=<IAM server certificate id>',
    );
  }
  return { app, stateful, stateless, pages, settings: resolved };
}

/** The `aliyunSms` context (cdk.json): the registered signature and templates; the secrets are in the stateful stack. */
function aliyunSettings(app: App, stateful: StatefulStack): AliyunSmsSettings {
  const ctx = (app.node.tryGetContext('aliyunSms') ?? {}) as Partial<
    Omit<AliyunSmsSettings, 'credentials' | 'callbackKey'>
  >;
  if (!ctx.signName || !ctx.templates) {
    throw new Error('smsProvider aliyun needs the aliyunSms context: { signName, templates } (README, "Deploying")');
  }
  const problems = providerTemplateProblems(ctx.templates, ctx.signName);
  if (problems.length) throw new Error(`aliyunSms context: ${problems.join('; ')}`);
  if (!stateful.aliyunSmsCredentials || !stateful.smsCallbackKey)
    throw new Error('the stateful stack has no SMS secrets');
  return {
    signName: ctx.signName,
    templates: ctx.templates,
    endpoint: ctx.endpoint,
    phoneLimits: ctx.phoneLimits,
    credentials: stateful.aliyunSmsCredentials,
    callbackKey: stateful.smsCallbackKey,
  };
}

if (require.main === module) {
  buildApp().app.synth();
}
