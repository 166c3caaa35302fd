// The independent tools the oracle suite stands on. Missing tools FAIL the suite loudly (a skipped
// oracle would let CI pass without any evidence), and nothing here installs anything: .ci/run does.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS_DIR = resolve(REPO, 'fixtures/oracle/corpus');
export const GENERATOR = resolve(REPO, 'fixtures/oracle/generate.py');
/** Debian's python3 (python3-scapy is installed for it), never a pyenv/venv python3 on PATH. */
export const PYTHON = '/usr/bin/python3';

const INSTALL_HINT =
  'install it first: echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections; ' +
  'DEBIAN_FRONTEND=noninteractive apt-get install -y tshark python3-scapy';

function run(cmd: string, args: string[], input?: Uint8Array | string): SpawnSyncReturns<Buffer> {
  return spawnSync(cmd, args, { input, maxBuffer: 256 * 1024 * 1024 });
}

/** Throws (failing the test that calls it) unless tshark runs. */
export function requireTshark(): void {
  const r = run('tshark', ['--version']);
  if (r.error || r.status !== 0) {
    throw new Error(`oracle suite: tshark is missing or broken (${r.error?.message ?? r.stderr.toString().trim()}); ${INSTALL_HINT}`);
  }
}

/** Throws unless /usr/bin/python3 imports scapy and we can make an empty network namespace for it. */
export function requireScapy(): void {
  const r = run(PYTHON, ['-c', 'import scapy; print(scapy.VERSION)']);
  if (r.error || r.status !== 0) {
    throw new Error(`oracle suite: scapy is missing for ${PYTHON} (${r.error?.message ?? r.stderr.toString().trim()}); ${INSTALL_HINT}`);
  }
  const u = run('unshare', ['--net', 'true']);
  if (u.error || u.status !== 0) {
    throw new Error(`oracle suite: cannot create a network namespace for scapy (unshare --net: ${u.error?.message ?? u.stderr.toString().trim()}); run as root`);
  }
}

/**
 * Run a python program with scapy inside a fresh, empty network namespace (`unshare --net`): scapy
 * never runs in the root namespace. Returns stdout; a non-zero exit throws with stderr.
 */
export function runScapy(args: string[], input?: string): Buffer {
  const r = run('unshare', ['--net', PYTHON, ...args], input);
  if (r.error || r.status !== 0) {
    throw new Error(`scapy (${args.join(' ')}) failed: ${r.error?.message ?? ''}${r.stderr.toString()}`);
  }
  return r.stdout;
}

export function runTool(cmd: string, args: string[]): Buffer {
  const r = run(cmd, args);
  if (r.error || r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? ''}${r.stderr.toString()}`);
  }
  return r.stdout;
}
