/**
 * What can be replaced at will: the functions, the HTTP API built from infra/routes.ts,
 * and (as they are built) the state machine and the schedules. It receives the stateful
 * stack's resources as props.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { EVENT_SOURCE, EVENT_TYPES } from '../../shared/adapters/events';
import { FEEDBACK_DEFAULTS } from '../../shared/domain/rating';
import { deployedRoutes, FUNCTIONS, type FunctionName } from '../routes';
import { MAIN_TABLE } from '../tables';
import { SCHEDULES } from '../schedules';
import { OneWindowFunction } from './onewindow-function';
import { DefinitionBody, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { ArnFormat } from 'aws-cdk-lib';
import { reviewDefinition } from '../workflow/definition';

/** Functions that only read the table (the reports function also stores REPORT#<month> items: see below). */
const READ_ONLY: ReadonlySet<FunctionName> = new Set<FunctionName>(['catalog', 'supervision', 'reports']);

/** Functions that publish domain events (decisions, replies, follow-ups, complaint answers) to the default bus. */
const EVENT_PUBLISHERS: readonly string[] = ['routing', 'feedback', 'review', 'jobs'];

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
  readonly reviewStateMachine: StateMachine;

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
        new OneWindowFunction(this, `${name[0].toUpperCase()}${name.slice(1)}Function`, {
          name,
          environment,
          // Scheduled jobs sweep every department; give them room.
          ...(name === 'jobs' ? { timeout: Duration.minutes(5) } : {}),
        }).useTable(props.table, MAIN_TABLE, READ_ONLY.has(name) ? 'read' : 'read-write'),
      ]),
    ) as Record<FunctionName, OneWindowFunction>;

    // A finished month's report computed on a read is stored, once: the reports function writes only those items.
    this.functions.reports.allowPutItemOn(props.table, ['REPORT#']);

    this.wireSms(props.inboundSmsTopic);
    this.reviewStateMachine = this.wireReview();

    this.api = new HttpApi(this, 'Api', { description: 'OneWindow: routes from infra/routes.ts' });
    const authorizer = new HttpJwtAuthorizer('StaffJwt', props.jwtIssuer, { jwtAudience: [props.jwtAudience] });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of deployedRoutes()) {
      if (!integrations.has(route.fn))
        integrations.set(route.fn, new HttpLambdaIntegration(`${route.fn}Integration`, this.functions[route.fn]));
      this.api.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration: integrations.get(route.fn)!,
        // Staff-only routes are checked at the gateway too; public and optional ones by the function.
        ...(Array.isArray(route.access) ? { authorizer } : {}),
      });
    }
    // The schedules of infra/schedules.ts: an EventBridge rule each, invoking its function with { job }.
    for (const s of SCHEDULES) {
      new Rule(this, `${s.name}Schedule`, {
        description: s.description.slice(0, 512),
        schedule: Schedule.expression(s.cron),
        targets: [
          new LambdaFunction(this.functions[s.fn], {
            event: RuleTargetInput.fromObject({ job: s.job }),
            retryAttempts: 2,
          }),
        ],
      });
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
  }

  /**
   * The review state machine: infra/workflow/review.asl.json, the file the local runtime runs,
   * with the review function's ARN substituted. Only the review function may answer its task
   * tokens (SendTaskSuccess/Failure), and only on this state machine; the routing function
   * starts executions when it accepts a joint or staged case. The state machine's name is
   * fixed so that its ARN can be named without referring to it (no dependency cycle).
   */
  private wireReview(): StateMachine {
    const name = `${this.stackName}-review`;
    const arn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const review = this.functions.review;
    const machine = new StateMachine(this, 'ReviewStateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(JSON.stringify(reviewDefinition)),
      definitionSubstitutions: { ReviewTaskFunctionArn: review.functionArn },
      comment: 'OneWindow multi-department review (infra/workflow/review.asl.json)',
    });
    review.grantInvoke(machine.role);
    review.addEnvironment('STATE_MACHINE_ARN', arn);
    review.addToRolePolicy(
      new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: [arn] }),
    );
    this.functions.routing.addEnvironment('STATE_MACHINE_ARN', machine.stateMachineArn);
    machine.grantStartExecution(this.functions.routing);
    // The review function re-starts the review of a case whose start failed (resume-reviews).
    review.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [arn] }));
    return machine;
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
    new Rule(this, 'NotifyRule', {
      eventBus: bus,
      description:
        'OneWindow domain events that call for an SMS (completion, clarification, follow-up, complaint answer) to the notify function',
      eventPattern: { source: [EVENT_SOURCE], detailType: [...EVENT_TYPES] },
      targets: [new LambdaFunction(notify, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });

    inboundSmsTopic.addSubscription(new LambdaSubscription(this.functions.feedback));
  }
}
