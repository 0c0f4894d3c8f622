/** The supervision function (电子监察): the yellow and red board, and the filed denials (否决报备). */
import { chinaMonth } from '../../shared/domain/china-time';
import { maskedDenial } from '../../shared/domain/views';
import { httpFunction } from '../../shared/http/function';
import type { OperationsOf } from '../../shared/http/operation';
import { supervisionBoard } from '../../shared/usecases/supervision';
import type { AppDeps } from '../../shared/wiring';

export const operations: OperationsOf<'supervision', AppDeps> = {
  board: async (_req, deps) => ({ body: await supervisionBoard(deps) }),

  denials: async ({ query }, deps) => {
    const month = query.month ?? chinaMonth(deps.clock.now());
    const denials = await deps.denials.month(month);
    return { body: { month, count: denials.length, denials: denials.map(maskedDenial) } };
  },
};

export const makeHandler = (deps: AppDeps) => httpFunction('supervision', operations, deps);
