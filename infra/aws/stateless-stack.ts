/**
 * What can be replaced at will: the functions, the HTTP API built from infra/routes.ts, the
 * review state machine, the schedules, and what keeps failures seen: on-failure queues, alarms
 * to an operations topic, and logs kept 180 days. It receives the stateful stack's resources as
 * props.
 *
 * Partition and region: nothing here names either; every ARN is made by CDK from the stack's
 * `partition` and `region` (tokens when the stack is environment-agnostic), and the state
 * machine's service integrations get the partition by substitution, so the same code
 * synthesizes for aws and aws-cn (test/infra/partitions.test.ts).
 */
import { Aws, CfnOutput, type CfnResource, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule, EventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { ArnFormat } from 'aws-cdk-lib';
import { EVENT_SOURCE, EVENT_TYPES } from '../../shared/adapters/events';
import { FEEDBACK_DEFAULTS } from '../../shared/domain/rating';
import { DEFAULT_CLIENT_WRITE_LIMIT } from '../../shared/domain/one-time-code';
import { DEFAULT_PHONE_LIMITS, type ProviderTemplates } from '../../shared/domain/provider-sms';
import { deployedRoutes, FUNCTIONS, routeKey, type DeployedRoute, type FunctionName } from '../routes';
import { MAIN_TABLE } from '../tables';
import { SCHEDULES } from '../schedules';
import { LOG_RETENTION, OneWindowFunction } from './onewindow-function';
import { reviewDefinition } from '../workflow/definition';
import { suppress } from './nag';
import { holds, type Capability, type SmsProvider } from '../permissions';

/**
 * Every grant below comes from infra/permissions.ts (each function's capabilities), which the
 * wiring also enforces on each port: test/infra/permissions.test.ts checks the two agree.
 */
const functionsHolding = (capability: Capability, provider: SmsProvider = 'sns'): FunctionName[] =>
  FUNCTIONS.filter((name) => holds(name, capability, provider));

/** Functions that match phone or ID numbers by their keyed hash (with SNS), and so read the PII hash key (and no other does). */
export const HASHING_FUNCTIONS: ReadonlySet<FunctionName> = new Set<FunctionName>(functionsHolding('pii:hash'));

/** Functions invoked asynchronously (EventBridge, SNS, the schedules): retried, then kept in an on-failure queue. */
export const ASYNC_FUNCTIONS: readonly FunctionName[] = ['notify', 'jobs', 'review', 'feedback'];

/** API throttling (requests per second, burst): the stage, and tighter on routes anyone may call that write. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 };
export const PUBLIC_WRITE_THROTTLE = { rateLimit: 10, burstLimit: 20 };
/** Tighter still on the routes that send a one-time code by SMS (each costs a message). */
export const CODE_REQUEST_THROTTLE = { rateLimit: 2, burstLimit: 5 };

/** The routes that send a one-time code by SMS. */
export function sendsCode(route: DeployedRoute): boolean {
  return route.op === 'requestCaseCode' || route.op === 'requestPhoneCode';
}

/** A route anyone may call (no staff token needed) that writes: submissions, ratings, complaints, the SMS provider's pushes. */
export function isPublicWrite(route: DeployedRoute): boolean {
  return !Array.isArray(route.access) && route.method !== 'GET';
}

export interface AliyunSmsSettings {
  signName: string;
  templates: ProviderTemplates;
  endpoint?: string;
  phoneLimits?: string;
  credentials: ISecret;
  callbackKey: ISecret;
}

export interface StatelessStackProps extends StackProps {
  table: ITable;
  piiHashKey: ISecret;
  smsProvider: 'sns' | 'aliyun';
  /** SNS: the topic two-way SMS publishes replies to (stateful stack); the feedback function is subscribed. */
  inboundSmsTopic?: ITopic;
  /** Alibaba Cloud SMS: the registered signature and templates, and the secrets. */
  aliyunSms?: AliyunSmsSettings;
  /** The staff identity provider (OIDC): tokens carry sub, role and dept claims. */
  jwtIssuer: string;
  jwtAudience: string;
  jwksUrl: string;
  /** Reserved concurrency of the notify function: how many SMS go out at once, whatever the burst of events. */
  notifyConcurrency: number;
  /** Subscribed to the operations topic when given. */
  alarmEmail?: string;
}

export class StatelessStack extends Stack {
  readonly functions: Record<FunctionName, OneWindowFunction>;
  readonly api: HttpApi;
  readonly reviewStateMachine: StateMachine;
  /** Every alarm goes here: subscribe the hall's operations (e-mail with -c alarmEmail=..., or an HTTPS endpoint). */
  readonly opsTopic: Topic;
  /** Where each asynchronous function's failed events are kept, by function; and the EventBridge and SNS delivery failures. */
  readonly failedEvents: Record<string, Queue>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    this.opsTopic = new Topic(this, 'OpsTopic', { displayName: 'OneWindow: operations alarms', enforceSSL: true });
    suppress(this.opsTopic, [
      [
        'AwsSolutions-SNS2',
        'alarm notices carry no personal data, and CloudWatch cannot publish to a topic under the AWS-managed key',
      ],
    ]);
    if (props.alarmEmail) this.opsTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.failedEvents = {};

    const environment = {
      JWT_ISSUER: props.jwtIssuer,
      JWT_AUDIENCE: props.jwtAudience,
      JWT_JWKS_URL: props.jwksUrl,
      // Feedback periods (shared/domain/rating.ts): change them here for a hall with other rules.
      RATING_DEFAULT_DAYS: String(FEEDBACK_DEFAULTS.defaultRatingDays),
      FOLLOWUP_WORKING_DAYS: String(FEEDBACK_DEFAULTS.followUpWorkingDays),
      COMPLAINT_WORKING_DAYS: String(FEEDBACK_DEFAULTS.complaintWorkingDays),
      // Public writes per client address (shared/domain/one-time-code.ts); behind CloudFront the
      // address is the edge's, so a hall there raises it and puts the README's WAF rule in front.
      CLIENT_WRITE_LIMIT: `${DEFAULT_CLIENT_WRITE_LIMIT.max}/${DEFAULT_CLIENT_WRITE_LIMIT.windowMinutes}m`,
    };
    this.functions = Object.fromEntries(
      FUNCTIONS.map((name) => {
        const isAsync = ASYNC_FUNCTIONS.includes(name);
        const fn = new OneWindowFunction(this, `${name[0].toUpperCase()}${name.slice(1)}Function`, {
          name,
          environment,
          // Scheduled jobs sweep every department, page by page, and stop 30 s before this
          // timeout to resume on the next run (shared/usecases/sweep.ts); the review function
          // runs the task-timeouts and resume-reviews sweeps.
          ...(name === 'jobs' || name === 'review' ? { timeout: Duration.minutes(5) } : {}),
          ...(name === 'notify' ? { reservedConcurrentExecutions: props.notifyConcurrency } : {}),
          ...(isAsync
            ? {
                retryAttempts: 2,
                maxEventAge: Duration.hours(6),
                onFailure: new SqsDestination(this.failedQueue(`${name[0].toUpperCase()}${name.slice(1)}Failed`)),
              }
            : {}),
        });
        if (holds(name, 'table:read') || holds(name, 'table:write'))
          fn.useTable(props.table, MAIN_TABLE, holds(name, 'table:write') ? 'read-write' : 'read');
        // The configuration names the table for every function; only those given it may reach it.
        else fn.addEnvironment('TABLE_NAME', props.table.tableName);
        if (holds(name, 'pii:hash', props.smsProvider)) fn.useSecret(props.piiHashKey, 'PII_HASH_KEY_SECRET_ARN');
        if (isAsync) {
          suppress(fn, [
            [
              'Serverless-LambdaDLQ',
              'failures go to an on-failure destination (SQS), which keeps the event with the error, unlike a DLQ',
            ],
          ]);
        } else {
          suppress(fn, [
            ['Serverless-LambdaDLQ', 'invoked synchronously (API Gateway): a failure is answered to the caller'],
            ['Serverless-LambdaAsyncFailureDestination', 'invoked synchronously (API Gateway), never asynchronously'],
          ]);
        }
        suppress(fn, [
          ['AwsSolutions-IAM5[Resource::*]', 'X-Ray trace segments have no resource to name (xray:PutTraceSegments)'],
          [
            'AwsSolutions-L1',
            'Node.js 22 (supported to 2027-04) is what the bundles target and CI tests; 24 with the next review',
          ],
          [
            'Serverless-LambdaLatestVersion',
            'Node.js 22 is what the bundles target and CI tests (see AwsSolutions-L1)',
          ],
          [
            'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
            'the managed basic execution role: writes to its own log group, nothing else',
          ],
        ]);
        this.alarm(`${fn.node.id}Errors`, fn.metricErrors({ period: Duration.minutes(5) }), 1, `${name}: errors`);
        return [name, fn];
      }),
    ) as Record<FunctionName, OneWindowFunction>;

    // A finished month's report computed on a read is stored, once: the reports function writes only those items.
    for (const name of functionsHolding('reports:put')) this.functions[name].allowPutItemOn(props.table, ['REPORT#']);

    this.wireSms(props);
    this.reviewStateMachine = this.wireReview();
    this.api = this.wireApi(props);

    // The schedules of infra/schedules.ts: an EventBridge rule each, invoking its function with { job }.
    const deliveryFailed = this.failedQueue('EventDeliveryFailed');
    for (const s of SCHEDULES) {
      new Rule(this, `${s.name}Schedule`, {
        description: s.description.slice(0, 512),
        schedule: Schedule.expression(s.cron),
        targets: [
          new LambdaFunction(this.functions[s.fn], {
            event: RuleTargetInput.fromObject({ job: s.job }),
            retryAttempts: 2,
            maxEventAge: Duration.hours(1),
            deadLetterQueue: deliveryFailed,
          }),
        ],
      });
    }

    const throttles = new MathExpression({
      expression: 'reads + writes',
      usingMetrics: {
        reads: props.table.metric('ReadThrottleEvents', { statistic: 'Sum' }),
        writes: props.table.metric('WriteThrottleEvents', { statistic: 'Sum' }),
      },
      period: Duration.minutes(5),
    });
    this.alarm('TableThrottles', throttles, 1, 'DynamoDB: throttled reads or writes on the main table');

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'OpsTopicArn', { value: this.opsTopic.topicArn });
  }

  /** An SQS queue that keeps what failed for 14 days, encrypted, TLS only, with an alarm on its first message. */
  private failedQueue(id: string): Queue {
    const queue = new Queue(this, id, {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    suppress(queue, [
      ['AwsSolutions-SQS3', 'this queue is itself where failed events are kept (an on-failure destination or DLQ)'],
      [
        'Serverless-SQSRedrivePolicy',
        'this queue is itself where failed events are kept (an on-failure destination or DLQ)',
      ],
    ]);
    this.failedEvents[id] = queue;
    this.alarm(
      `${id}Depth`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      1,
      `${id}: failed events waiting (redrive them once the cause is fixed)`,
    );
    return queue;
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, `${id}Alarm`, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `OneWindow ${description}`,
    });
    alarm.addAlarmAction(new SnsAction(this.opsTopic));
    return alarm;
  }

  /**
   * The HTTP API from infra/routes.ts: the JWT authorizer on staff-only routes, a default stage
   * throttled (tighter on public writes) that writes JSON access logs (no query strings: they
   * may carry a phone's last 4 digits or a callback signature), and an alarm on 5xx answers.
   */
  private wireApi(props: StatelessStackProps): HttpApi {
    const api = new HttpApi(this, 'Api', {
      description: 'OneWindow: routes from infra/routes.ts',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stage = new HttpStage(this, 'ApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            bytes: '$context.responseLength',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    const routeSettings = Object.fromEntries(
      deployedRoutes()
        .filter(isPublicWrite)
        .map((r) => {
          const throttle = sendsCode(r) ? CODE_REQUEST_THROTTLE : PUBLIC_WRITE_THROTTLE;
          return [routeKey(r), { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit }];
        }),
    );
    (stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', routeSettings);
    suppress(stage, [
      [
        'Serverless-APIGWXrayEnabled',
        'HTTP APIs do not trace with X-Ray; the functions behind them do (active tracing)',
      ],
    ]);

    const authorizer = new HttpJwtAuthorizer('StaffJwt', props.jwtIssuer, { jwtAudience: [props.jwtAudience] });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of deployedRoutes()) {
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.fn}Integration`, this.functions[route.fn]);
        integrations.set(route.fn, integration);
      }
      const [added] = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        // Staff-only routes are checked at the gateway too; public and optional ones by the function.
        ...(Array.isArray(route.access) ? { authorizer } : {}),
      });
      if (!Array.isArray(route.access)) {
        suppress(added, [
          [
            'AwsSolutions-APIG4',
            `${routeKey(route)} is for the public (${String(route.access)}); the function checks phone digits, tokens or signatures`,
          ],
        ]);
      }
    }
    this.alarm(
      'Api5xx',
      api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      1,
      'API: 5xx answers',
    );
    return api;
  }

  /**
   * The review state machine: infra/workflow/review.asl.json, the file the local runtime runs,
   * with the review function's ARN and the partition of its service integrations substituted.
   * Only the review function may answer its task tokens (SendTaskSuccess/Failure), and only on
   * this state machine; routing (acceptance), jobs (art. 32's deemed acceptance) and review
   * (repair) start executions, as infra/permissions.ts says. The state machine's name is fixed so that its ARN can be named without
   * referring to it (no dependency cycle). It logs errors, without execution data (which holds
   * case details), and traces with X-Ray.
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
    const logs = new LogGroup(this, 'ReviewStateMachineLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const machine = new StateMachine(this, 'ReviewStateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(partitionNeutral(JSON.stringify(reviewDefinition))),
      definitionSubstitutions: { ReviewTaskFunctionArn: review.functionArn, [PARTITION_KEY]: Aws.PARTITION },
      comment: 'OneWindow multi-department review (infra/workflow/review.asl.json)',
      logs: { destination: logs, level: LogLevel.ERROR, includeExecutionData: false },
      tracingEnabled: true,
    });
    suppress(machine, [
      [
        'AwsSolutions-SF1',
        'logs errors only: every event would put each case, with personal data, in the logs (ERROR without execution data)',
      ],
      ['Serverless-StepFunctionStateMachineAllLogsToCloudWatch', 'logs errors only, without execution data (see SF1)'],
      ['AwsSolutions-IAM5[Resource::*]', 'CloudWatch Logs delivery and X-Ray have no resource to name'],
      [
        `AwsSolutions-IAM5[Resource::<${this.getLogicalId(review.node.defaultChild as CfnResource)}.Arn>:*]`,
        "invoking the review function covers its versions and aliases (Lambda's own grant)",
      ],
    ]);
    review.grantInvoke(machine.role);
    // Who starts executions (acceptance, art. 32's deemed acceptance, the repair of a failed
    // start) and who answers task tokens: infra/permissions.ts. The ARN is named, not referred
    // to, so that the review function (which the machine invokes) can hold it without a cycle.
    for (const name of FUNCTIONS) {
      const actions = [
        ...(holds(name, 'workflow:start') ? ['states:StartExecution'] : []),
        ...(holds(name, 'workflow:answer') ? ['states:SendTaskSuccess', 'states:SendTaskFailure'] : []),
      ];
      if (!actions.length) continue;
      this.functions[name].addEnvironment('STATE_MACHINE_ARN', arn);
      this.functions[name].addToRolePolicy(new PolicyStatement({ actions, resources: [arn] }));
    }
    this.alarm(
      'ReviewExecutionsFailed',
      machine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      1,
      'review state machine: executions failed',
    );
    return machine;
  }

  /**
   * SMS out and in. Only the notify function sends. Decisions and replies become events on the
   * default bus; one rule hands them to notify (asynchronous, retried; notify is idempotent by
   * SMS key; what still fails lands in the on-failure queues).
   *
   * SNS: sns:Publish straight to a phone number has no ARN to name, so its resource is '*', and
   * the action is that one alone; replies arrive on the inbound topic, to which the feedback
   * function is subscribed (redrive to a queue). Alibaba Cloud SMS: notify gets the provider's
   * settings and reads its AccessKey from Secrets Manager; replies and receipts arrive as pushes
   * on POST /sms/aliyun/{kind} (feedback), whose URL signature key the feedback function reads.
   */
  private wireSms(props: StatelessStackProps): void {
    const notify = this.functions.notify;
    const bus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    for (const name of functionsHolding('events:publish')) bus.grantPutEventsTo(this.functions[name]);
    new Rule(this, 'NotifyRule', {
      eventBus: bus,
      description:
        'OneWindow domain events that call for an SMS (receipt, acceptance, notice to supplement, deemed withdrawal, completion, clarification, follow-up, complaint answer, deadline card) to the notify function',
      eventPattern: { source: [EVENT_SOURCE], detailType: [...EVENT_TYPES] },
      targets: [
        new LambdaFunction(notify, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: this.failedQueue('NotifyDeliveryFailed'),
        }),
      ],
    });

    const senders = functionsHolding('sms:send', props.smsProvider);
    if (senders.length !== 1 || senders[0] !== 'notify')
      throw new Error(
        `only the notify function sends SMS (infra/permissions.ts gives sms:send to ${senders.join(', ')})`,
      );
    if (props.smsProvider === 'sns') {
      notify.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
      suppress(notify, [
        ['AwsSolutions-IAM5[Resource::*]', 'sns:Publish to a phone number (an SMS) has no ARN; that action alone'],
      ]);
      if (!props.inboundSmsTopic) throw new Error('smsProvider sns needs the inbound SMS topic');
      props.inboundSmsTopic.addSubscription(
        new LambdaSubscription(this.functions.feedback, {
          deadLetterQueue: this.failedQueue('SmsReplyDeliveryFailed'),
        }),
      );
      return;
    }

    const aliyun = props.aliyunSms;
    if (!aliyun) throw new Error('smsProvider aliyun needs the aliyunSms settings');
    notify.addEnvironment('SMS_PROVIDER', 'aliyun');
    notify.addEnvironment('ALIYUN_SMS_SIGN_NAME', aliyun.signName);
    notify.addEnvironment('ALIYUN_SMS_TEMPLATES', JSON.stringify(aliyun.templates));
    notify.addEnvironment('ALIYUN_SMS_PHONE_LIMITS', aliyun.phoneLimits ?? DEFAULT_PHONE_LIMITS);
    if (aliyun.endpoint) notify.addEnvironment('ALIYUN_SMS_ENDPOINT', aliyun.endpoint);
    notify.useSecret(aliyun.credentials, 'ALIYUN_SMS_CREDENTIALS_SECRET_ARN');
    // The per-phone limits are kept by the keyed hash of the number: notify holds pii:hash
    // (infra/permissions.ts), so the PII hash key was given to it above.
    for (const name of functionsHolding('sms:callbacks', 'aliyun'))
      this.functions[name].useSecret(aliyun.callbackKey, 'SMS_CALLBACK_KEY_SECRET_ARN');
  }
}

/** The definition substitution that names the partition (aws, aws-cn) in the state machine's service integrations. */
export const PARTITION_KEY = 'AwsPartition';

/** The definition with `arn:aws:` of its service integrations written `arn:${AwsPartition}:`. */
export function partitionNeutral(definition: string): string {
  return definition.replace(/"arn:aws:states:::/g, `"arn:\${${PARTITION_KEY}}:states:::`);
}
