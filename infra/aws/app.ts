/** The CDK app: `npm run synth` (offline) or `npx cdk deploy --all` with credentials. */
import { App } from 'aws-cdk-lib';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';
import { PagesStack } from './web-hosting';

export function buildApp(app = new App()): { app: App; stateful: StatefulStack; stateless: StatelessStack } {
  const ctx = (key: string, fallback: string) => (app.node.tryGetContext(key) as string | undefined) ?? fallback;
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const stateful = new StatefulStack(app, 'OneWindowStateful', { env });
  const stateless = new StatelessStack(app, 'OneWindowStateless', {
    env,
    table: stateful.table,
    piiHashKey: stateful.piiHashKey,
    inboundSmsTopic: stateful.inboundSmsTopic,
    jwtIssuer: ctx('jwtIssuer', 'https://idp.example.gov.cn/realms/hall'),
    jwtAudience: ctx('jwtAudience', 'onewindow'),
    jwksUrl: ctx('jwksUrl', 'https://idp.example.gov.cn/realms/hall/protocol/openid-connect/certs'),
  });
  // The pages (web/dist) behind CloudFront, forwarding the API: its own stack, deployed after the API.
  new PagesStack(app, 'OneWindowPages', {
    env,
    api: stateless.api,
    issuer: ctx('jwtIssuer', 'https://idp.example.gov.cn/realms/hall'),
    clientId: ctx('webClientId', 'onewindow-console'),
  });
  return { app, stateful, stateless };
}

if (require.main === module) {
  buildApp().app.synth();
}
