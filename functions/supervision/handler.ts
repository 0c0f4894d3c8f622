/** The supervision function (电子监察): the yellow and red board, and the filed denials (否决报备). */
import { routesOf } from '../../infra/routes';
import { chinaMonth } from '../../shared/domain/china-time';
import { httpFunction, type OperationFn } from '../../shared/http/function';
import { supervisionBoard } from '../../shared/usecases/supervision';
import type { AppDeps } from '../../shared/wiring';
import type { DenialsQuery } from './schemas';

export const operations: Record<string, OperationFn<AppDeps>> = {
  board: async (_req, deps) => ({ body: await supervisionBoard(deps) }),

  denials: async ({ query }, deps) => {
    const month = (query as DenialsQuery).month ?? chinaMonth(deps.clock.now());
    const denials = await deps.denials.month(month);
    return { body: { month, count: denials.length, denials } };
  },
};

export const makeHandler = (deps: AppDeps) => httpFunction(routesOf('supervision'), operations, deps);
