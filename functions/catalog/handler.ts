/** The catalog function: the public service guide and the API description. */
import { routesOf } from '../../infra/routes';
import { NotFoundError } from '../../shared/domain/errors';
import { httpFunction, type OperationFn } from '../../shared/http/function';
import { openApiDocument } from '../../infra/openapi';
import type { AppDeps } from '../../shared/wiring';

export const operations: Record<string, OperationFn<AppDeps>> = {
  listItems: async (_req, { catalog }) => ({ body: { items: catalog.items() } }),
  getItem: async ({ params }, { catalog }) => {
    const item = catalog.item(params.code);
    if (!item) throw new NotFoundError(`service item ${params.code}`);
    return { body: item };
  },
  openapi: async () => ({ body: openApiDocument() }),
};

export const makeHandler = (deps: AppDeps) => httpFunction(routesOf('catalog'), operations, deps);
