/** The catalog function: the public service guide and the API description. */
import { NotFoundError } from '../../shared/domain/errors';
import { httpFunction } from '../../shared/http/function';
import type { OperationsOf } from '../../shared/http/operation';
import { openApiDocument } from '../../infra/openapi';
import type { AppDeps } from '../../shared/wiring';

export const operations: OperationsOf<'catalog', AppDeps> = {
  listItems: (_req, { catalog }) => Promise.resolve({ body: { items: catalog.items() } }),
  getItem: ({ params }, { catalog }) => {
    const item = catalog.item(params.code);
    if (!item) return Promise.reject(new NotFoundError(`service item ${params.code}`));
    return Promise.resolve({ body: item });
  },
  openapi: () => Promise.resolve({ body: openApiDocument() }),
};

export const makeHandler = (deps: AppDeps) => httpFunction('catalog', operations, deps);
