import { awsHandler } from '../../shared/wiring';
import { makeHandler } from './handler';

export const handler = awsHandler('admin', makeHandler);
