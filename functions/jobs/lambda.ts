import { awsDeps } from '../../shared/wiring';
import { makeHandler } from './handler';

export const handler = makeHandler(awsDeps('jobs'));
