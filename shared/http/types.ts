import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Actor, StaffRole } from '../domain/case';

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims: Record<string, unknown> } };
  };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Who may call a route: anyone, anyone (staff tokens recognised), or staff with one of the roles. */
export type Access = 'public' | 'optional-staff' | readonly StaffRole[];

/** What an operation receives once the middy stack has parsed, validated and authenticated. */
export interface OperationRequest {
  body: unknown;
  query: unknown;
  params: Record<string, string>;
  headers: Record<string, string | undefined>;
  actor?: Actor;
}

export interface OperationResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw text body (e.g. CSV); when set, `body` is ignored. */
  text?: string;
}
