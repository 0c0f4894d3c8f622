/** Response types of the one-time code routes, from the use cases that build them (as types.ts does for the rest). */
import type { CodeRequestAnswer, myCases } from '../../../shared/usecases/one-time-codes';
import type { ProgressView } from './types';

export type { CodeRequestAnswer, ProgressView };
export type MyCases = Awaited<ReturnType<typeof myCases>>;
export type MyCase = MyCases['cases'][number];
