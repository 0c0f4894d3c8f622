/**
 * Every benchmark `npm run bench` knows, in the order they run. To add one, write
 * bench/<name>.ts exporting a `Benchmark` (see bench/lib.ts and bench/README.md) and add it here.
 */
import type { Benchmark } from './lib';
import { accept } from './accept';
import { bundles } from './bundles';
import { clock } from './clock';
import { intake } from './intake';
import { feedback } from './feedback';
import { reports } from './reports';
import { review } from './review';
import { sweep } from './sweep';
import { pages } from './pages';
import { sms } from './sms';
import { coldstart } from './coldstart';
import { cost } from './cost';
import { codes } from './codes';
import { outbox } from './outbox';

export const BENCHMARKS: readonly Benchmark[] = [
  intake,
  bundles,
  reports,
  sweep,
  feedback,
  clock,
  accept,
  review,
  pages,
  sms,
  coldstart,
  cost,
  codes,
  outbox,
];
