import type { Command } from 'commander';
import { InputError } from '../io/input-error.js';
import { getModel } from '../../models/index.js';
import { runCheck, formatCheck, type CaptureSpec, type EdgeDevice } from '../check/check.js';
import { ExitCode } from './exit.js';
import { guarded } from './guard.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** NODE:IF=FILE (FILE may contain ':' and '='; NODE and IF may not contain '='). */
export function parseCaptureArg(arg: string): CaptureSpec {
  const eq = arg.indexOf('=');
  const colon = arg.lastIndexOf(':', eq);
  if (eq < 0 || colon <= 0 || colon + 1 >= eq || eq + 1 >= arg.length) throw new InputError(`--capture '${arg}': expected NODE:IF=FILE`, { key: '--capture' }, 'check.usage');
  return { node: arg.slice(0, colon), iface: arg.slice(colon + 1, eq), file: arg.slice(eq + 1) };
}

/** NODE:IF@MAC. A MAC that is not one is named as such ("expected NODE:IF@MAC" hid which part was wrong). */
export function parseEdgeArg(arg: string): EdgeDevice {
  const m = /^(.+):([^:@]+)@(.*)$/.exec(arg);
  if (!m) throw new InputError(`--edge '${arg}': expected NODE:IF@MAC`, { key: '--edge' }, 'check.usage');
  if (!/^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/.test(m[3])) {
    throw new InputError(`--edge '${arg}': '${m[3]}' is not a MAC (six hex pairs joined by ':', e.g. fa:16:3e:66:15:3c)`, { key: '--edge' }, 'check.usage');
  }
  return { node: m[1], iface: m[2], mac: m[3].toLowerCase() };
}

/** --window SECONDS (a positive decimal) as nanoseconds. */
export function parseWindow(arg: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(arg);
  if (!m || (m[1].replace(/0/g, '') === '' && (m[2] ?? '').replace(/0/g, '') === '')) {
    throw new InputError(`--window '${arg}': expected a positive number of seconds (e.g. 1 or 0.5)`, { key: '--window' }, 'check.usage');
  }
  return BigInt(m[1]) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('replay what edge devices sent through a model and match its predictions against captures taken on every device (exit 0 match, 1 divergence, 2 bad input, 4 nothing compared)')
    .requiredOption('--scenario <file>', 'scenario YAML of the model')
    .requiredOption('--model <name>', 'vpp | neutron-dvr')
    .option('--capture <NODE:IF=FILE>', 'a capture taken on device IF of NODE (repeat for every device)', collect, [])
    .option('--edge <NODE:IF@MAC>', 'a device whose transmitted frames are inputs (repeat for each; given, these replace the edges the model finds)', collect, [])
    .option('--window <seconds>', 'read the captures as they are replayed, holding this many seconds of traffic (captures in time order; memory bounded by the window)')
    .option('--json', 'print the result as JSON')
    .action(
      guarded(async (o: { scenario: string; model: string; capture: string[]; edge: string[]; window?: string; json?: boolean }) => {
        if (!o.capture.length) throw new InputError('no --capture given', { key: '--capture' }, 'check.usage');
        const captures = o.capture.map(parseCaptureArg);
        const edges = o.edge.length ? o.edge.map(parseEdgeArg) : undefined;
        const window = o.window === undefined ? undefined : parseWindow(o.window);
        const result = await runCheck({ model: await getModel(o.model), scenario: o.scenario, captures, edges, ...(window !== undefined ? { window } : {}) });
        if (o.json) process.stdout.write(JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
        else process.stdout.write(formatCheck(result).join('\n') + '\n');
        return result.verdict === 'DIVERGED' ? ExitCode.FAILED : result.verdict === 'INCONCLUSIVE' ? ExitCode.INCONCLUSIVE : ExitCode.OK;
      }),
    );
}
