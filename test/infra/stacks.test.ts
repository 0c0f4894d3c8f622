import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/aws/app';
import { deployedRoutes, FUNCTIONS, ROUTES } from '../../infra/routes';
import { MAIN_TABLE } from '../../infra/tables';

function synth() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { stateful, stateless } = buildApp(app);
  return { stateful: Template.fromStack(stateful), stateless: Template.fromStack(stateless) };
}

describe('the CDK app', () => {
  const { stateful, stateless } = synth();

  it('keys the main table and every index exactly as infra/tables.ts defines them', () => {
    // Arrange
    const expectedIndexes = MAIN_TABLE.indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' },
        { AttributeName: i.sortKey, KeyType: 'RANGE' },
      ],
    }));
    // Act
    const tables = stateful.findResources('AWS::DynamoDB::Table');
    const [table] = Object.values(tables) as any[];
    // Assert
    expect(Object.keys(tables)).toHaveLength(1);
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.GlobalSecondaryIndexes.map((g: any) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema }))).toEqual(expectedIndexes);
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('runs every function on Node.js 22 with the table name in its environment', () => {
    const functions = stateless.findResources('AWS::Lambda::Function');
    const ours = Object.values(functions).filter((f: any) => f.Properties.Environment?.Variables?.TABLE_NAME);
    expect(ours).toHaveLength(FUNCTIONS.length);
    for (const f of ours as any[]) {
      expect(f.Properties.Runtime).toBe('nodejs22.x');
      expect(f.Properties.Environment.Variables).toEqual(
        expect.objectContaining({ JWT_ISSUER: expect.any(String), JWT_AUDIENCE: expect.any(String), PII_HASH_KEY: expect.anything() }),
      );
    }
  });

  it('grants no wildcard actions and no table-level admin actions', () => {
    const policies = stateless.findResources('AWS::IAM::Policy');
    const actions = Object.values(policies).flatMap((p: any) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: any) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
    );
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) {
      expect(action).not.toMatch(/\*$/);
      expect(action).not.toMatch(/^dynamodb:(Scan|DeleteTable|CreateTable|UpdateTable)$/);
    }
  });

  it('gives the catalog function read-only access to the table', () => {
    // Arrange
    const policies = Object.values(stateless.findResources('AWS::IAM::Policy')) as any[];
    const catalogPolicies = policies.filter((p) => JSON.stringify(p.Properties.Roles).includes('CatalogFunction'));
    // Act
    const actions = catalogPolicies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
    // Assert
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(actions.filter((a: string) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
  });

  it('deploys exactly the routes of infra/routes.ts (and none of the local-only ones)', () => {
    // Arrange
    const expected = deployedRoutes().map((r) => `${r.method} ${r.path}`).sort();
    // Act
    const routes = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route')).map((r: any) => r.Properties.RouteKey).sort();
    // Assert
    expect(routes).toEqual(expected);
    expect(ROUTES.filter((r) => r.localOnly).every((r) => !routes.includes(`${r.method} ${r.path}`))).toBe(true);
  });

  it('puts the JWT authorizer on every staff-only route and on no public one', () => {
    const routes = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route')) as any[];
    for (const route of deployedRoutes()) {
      const deployed = routes.find((r) => r.Properties.RouteKey === `${route.method} ${route.path}`);
      expect({ route: deployed.Properties.RouteKey, jwt: deployed.Properties.AuthorizationType === 'JWT' }).toEqual({
        route: deployed.Properties.RouteKey,
        jwt: Array.isArray(route.access),
      });
    }
  });
});
