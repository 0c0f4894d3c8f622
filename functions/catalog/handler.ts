/** The catalog function: the public service guide and the API description. */
import { NotFoundError } from '../../shared/domain/errors';
import { httpFunction } from '../../shared/http/function';
import type { OperationsOf } from '../../shared/http/operation';
import { openApiDocument } from '../../infra/openapi';
import type { AppDeps } from '../../shared/wiring';

export const operations: OperationsOf<'catalog', AppDeps> = {
  listItems: async (_req, { catalog }) => ({ body: { items: catalog.items() } }),
  getItem: async ({ params }, { catalog }) => {
    const item = catalog.item(params.code);
    if (!item) throw new NotFoundError(`service item ${params.code}`);
    return { body: item };
  },
  openapi: async () => ({ body: openApiDocument() }),
};

export const makeHandler = (deps: AppDeps) => httpFunction('catalog', operations, deps);
