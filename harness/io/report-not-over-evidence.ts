// `run -o FILE` writes a report. The files a run reads are refused as FILE (output-over-input.ts),
// but only those of the cases it runs: `run fixtures/x -o golden/.../eth0.pcap` replaced another
// case's golden capture with a JSON report, exit 0. A report never is a capture, a VPP trace or a
// YAML case/scenario, so an existing file that is one of those (by its bytes, or by the extension
// goldens and cases are named with) is refused before anything runs.

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { detectCaptureFormat } from './capture-walk.js';
import { InputError } from './input-error.js';
import { isStdoutOutput } from './output-target.js';

/** What goldens, inputs and cases are named as: never a report's name. */
const EVIDENCE_EXTENSIONS = new Set(['.pcap', '.pcapng', '.cap', '.trace', '.yaml', '.yml']);

function firstBytes(file: string, n: number): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const head = new Uint8Array(n);
    return head.subarray(0, readSync(fd, head, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** Refuse `output` when it is an existing capture, or is named as a capture, trace or YAML file. */
export function refuseReportOverEvidence(output: string): void {
  if (isStdoutOutput(output)) return;
  const ext = extname(output).toLowerCase();
  if (EVIDENCE_EXTENSIONS.has(ext)) throw new InputError(`a report is not written to a ${ext} file (that is what goldens, inputs and cases are): give another -o`, { file: output }, 'output.evidence');
  let regular = false;
  try {
    regular = statSync(output).isFile();
  } catch {
    return; // not there yet (or not readable: writing it says why)
  }
  if (regular && detectCaptureFormat(firstBytes(output, 4)) !== undefined) throw new InputError('is a capture: writing the report would replace it; give another -o', { file: output }, 'output.evidence');
}
