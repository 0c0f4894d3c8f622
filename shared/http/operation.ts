/**
 * The type of each operation, read off the one route table: its body, query and path
 * parameters inferred from their zod schemas, and the actor present exactly when the route
 * requires staff. `httpFunction(fn, operations, deps)` takes `OperationsOf<fn, deps>`, so a
 * function that lacks an operation its routes name, has one no route names, or reads a field
 * its schema lacks fails the type check; so does a result whose status the route does not
 * declare, or whose body does not fit that status's response schema.
 */
import type * as z from 'zod';
import type { ZodType } from 'zod';
import type { FunctionName, LocalOnlyFunctionName, RouteTable, SuccessStatus } from '../../infra/routes';
import type { Actor } from '../domain/case';
import type { PATH_PARAMS, PathParamName } from './params';
import type { OperationResponse } from './types';

type AnyRoute = RouteTable[number];

/** The routes one function serves. */
export type RouteOf<F extends FunctionName | LocalOnlyFunctionName> = Extract<AnyRoute, { fn: F }>;

/** `/cases/{caseNo}/tasks/{taskId}` → 'caseNo' | 'taskId'. */
export type PathParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | PathParamNames<Rest>
  : never;

/** Every parameter a path names must have its schema in PATH_PARAMS. */
type Assert<T extends true> = T;
export type EveryPathParamHasASchema = Assert<PathParamNames<AnyRoute['path']> extends PathParamName ? true : false>;

type PathParams<P extends string> = {
  readonly [K in PathParamNames<P> & PathParamName]: z.output<(typeof PATH_PARAMS)[K]>;
};

type BodyOf<R> = R extends { body: infer S extends ZodType } ? z.output<S> : unknown;
type QueryOf<R> = R extends { query: infer S extends ZodType } ? z.output<S> : unknown;

/** Anyone: no actor. Staff recognised: maybe an actor. Staff only: always an actor. */
type ActorOf<A> = A extends 'public' ? undefined : A extends 'optional-staff' ? Actor | undefined : Actor;

export interface TypedRequest<B, Q, P, A> {
  body: B;
  query: Q;
  params: P;
  headers: Record<string, string | undefined>;
  actor: A;
}

export type RequestOf<R extends AnyRoute> = TypedRequest<
  BodyOf<R>,
  QueryOf<R>,
  PathParams<R['path']>,
  ActorOf<R['access']>
>;

type Headers = Record<string, string>;
/** Read-only all the way down: a result may hold readonly arrays (the catalog's, the domain's). */
type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
/** One declared 2xx: its status (200 may be left out) and a body its schema accepts. */
type BodyFor<M, S extends keyof M> = M[S] extends ZodType ? DeepReadonly<z.input<M[S]>> : never;
type SuccessOf<M> = {
  [S in keyof M & SuccessStatus]: S extends 200
    ? { status?: 200; body: BodyFor<M, S>; headers?: Headers; text?: undefined }
    : { status: S; body: BodyFor<M, S>; headers?: Headers; text?: undefined };
}[keyof M & SuccessStatus];
type CsvOf<R> = R extends { csv: true } ? { status?: 200; text: string; headers?: Headers; body?: undefined } : never;

/**
 * What an operation may answer: one of the route's declared 2xx with a body of its schema
 * (functions/responses.ts), or text/csv where the route says so. A route that declares no
 * responses (yet) may answer anything.
 */
export type ResultOf<R> = R extends { responses: infer M } ? SuccessOf<M> | CsvOf<R> : OperationResponse;

export type OperationsOf<F extends FunctionName | LocalOnlyFunctionName, D> = {
  [R in RouteOf<F> as R['op']]: (request: RequestOf<R>, deps: D) => Promise<ResultOf<R>>;
};
