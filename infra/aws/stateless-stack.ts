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
import { deployedRoutes, FUNCTIONS, type FunctionName } from '../routes';
import { MAIN_TABLE } from '../tables';
import { OneWindowFunction } from './onewindow-function';

export interface StatelessStackProps extends StackProps {
  table: ITable;
  piiHashKey: ISecret;
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
}
