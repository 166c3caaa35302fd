// Choosing and writing a machine-readable report.

import { writeFileSync } from 'node:fs';
import { InputError } from '../io/input-error.js';
import { isStdoutOutput } from '../io/output-target.js';
import type { SuiteResult } from '../suite/result.js';
import { jsonReport } from './serialize.js';
import { junitReport } from './junit.js';
import { htmlReport } from './html.js';

export const REPORTERS = ['text', 'json', 'junit', 'html'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export function parseReporter(s: string): ReporterName {
  if (!(REPORTERS as readonly string[]).includes(s)) throw new InputError(`--reporter must be one of ${REPORTERS.join(', ')}`, { key: '--reporter' }, 'usage.reporter');
  return s as ReporterName;
}

export function renderReport(name: Exclude<ReporterName, 'text'>, r: SuiteResult): string {
  return name === 'json' ? jsonReport(r) : name === 'junit' ? junitReport(r) : htmlReport(r);
}

export function writeReport(text: string, output: string | undefined): void {
  if (output && !isStdoutOutput(output)) writeFileSync(output, text);
  else process.stdout.write(text);
}
