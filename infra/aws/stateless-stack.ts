/**
 * What can be replaced at will: the functions, the HTTP API built from infra/routes.ts,
 * and (as they are built) the state machine and the schedules. It receives the stateful
 * stack's resources as props.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { EventBus, Rule as EventRule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as EventLambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Duration as CdkDuration } from 'aws-cdk-lib';
import { EVENT_SOURCE, EVENT_TYPES } from '../../shared/adapters/events';
import { FEEDBACK_DEFAULTS } from '../../shared/domain/rating';

/** Functions that publish domain events (decisions, ratings, complaint answers) to the default bus. */
const EVENT_PUBLISHERS: readonly string[] = ['routing', 'feedback', 'review'];
import { deployedRoutes, FUNCTIONS, type FunctionName } from '../routes';
import { MAIN_TABLE } from '../tables';
import { OneWindowFunction } from './onewindow-function';

export interface StatelessStackProps extends StackProps {
  table: ITable;
  piiHashKey: ISecret;
  /** The topic two-way SMS publishes replies to (stateful stack); the feedback function is subscribed. */
  inboundSmsTopic: ITopic;
  /** The staff identity provider (OIDC): tokens carry sub, role and dept claims. */
  jwtIssuer: string;
  jwtAudience: string;
  jwksUrl: string;
}

export class StatelessStack extends Stack {
  readonly functions: Record<FunctionName, OneWindowFunction>;
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const environment = {
      PII_HASH_KEY: props.piiHashKey.secretValue.unsafeUnwrap(),
      JWT_ISSUER: props.jwtIssuer,
      JWT_AUDIENCE: props.jwtAudience,
      JWT_JWKS_URL: props.jwksUrl,
      // Feedback periods (shared/domain/rating.ts): change them here for a hall with other rules.
      RATING_DEFAULT_DAYS: String(FEEDBACK_DEFAULTS.defaultRatingDays),
      FOLLOWUP_WORKING_DAYS: String(FEEDBACK_DEFAULTS.followUpWorkingDays),
      COMPLAINT_WORKING_DAYS: String(FEEDBACK_DEFAULTS.complaintWorkingDays),
    };
    this.functions = Object.fromEntries(
      FUNCTIONS.map((name) => [
        name,
        new OneWindowFunction(this, `${name[0].toUpperCase()}${name.slice(1)}Function`, { name, environment }).useTable(
          props.table,
          MAIN_TABLE,
          name === 'catalog' ? 'read' : 'read-write',
        ),
      ]),
    ) as Record<FunctionName, OneWindowFunction>;

    this.wireSms(props.inboundSmsTopic);

    this.api = new HttpApi(this, 'Api', { description: 'OneWindow: routes from infra/routes.ts' });
    const authorizer = new HttpJwtAuthorizer('StaffJwt', props.jwtIssuer, { jwtAudience: [props.jwtAudience] });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of deployedRoutes()) {
      if (!integrations.has(route.fn)) integrations.set(route.fn, new HttpLambdaIntegration(`${route.fn}Integration`, this.functions[route.fn]));
      this.api.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration: integrations.get(route.fn)!,
        // Staff-only routes are checked at the gateway too; public and optional ones by the function.
        ...(Array.isArray(route.access) ? { authorizer } : {}),
      });
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
  }

  /**
   * SMS out and in. Only the notify function may send: sns:Publish straight to a phone number
   * has no ARN to name, so its resource is '*', and the action is that one alone (the CDK test
   * checks that no other function has it). Decisions and replies become events on the default
   * bus; one rule hands them to notify (asynchronous, retried; notify is idempotent by SMS key).
   * Replies arrive on the inbound topic, to which the feedback function is subscribed.
   */
  private wireSms(inboundSmsTopic: ITopic): void {
    const notify = this.functions.notify;
    notify.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));

    const bus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    for (const name of FUNCTIONS) if (EVENT_PUBLISHERS.includes(name)) bus.grantPutEventsTo(this.functions[name]);
    new EventRule(this, 'NotifyRule', {
      eventBus: bus,
      description: 'OneWindow domain events that call for an SMS (completion, clarification, follow-up, complaint answer) to the notify function',
      eventPattern: { source: [EVENT_SOURCE], detailType: [...EVENT_TYPES] },
      targets: [new EventLambdaTarget(notify, { retryAttempts: 8, maxEventAge: CdkDuration.hours(6) })],
    });

    inboundSmsTopic.addSubscription(new LambdaSubscription(this.functions.feedback));
  }
}
