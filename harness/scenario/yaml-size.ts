// How large a YAML file (a scenario, a case.yaml) may be. Both are configuration, read whole into the
// YAML library's syntax tree, which keeps every node with its source range: measured, a 54 MB scenario
// (600,000 neighbours) took 4 GB of memory and 3.5 minutes before any check ran. The largest file in
// this repository is under 20 KB; a two-node cluster with a thousand pods is a few hundred KB. A file
// past the limit is refused before it is read: one line with its size and the limit, exit 2.

import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { InputError } from '../io/input-error.js';

export const YAML_MAX_BYTES = 4 * 1024 * 1024;

export function refuseOversizedYaml(file: string, size: number): void {
  if (size <= YAML_MAX_BYTES) return;
  throw new InputError(
    `${size} bytes is past the ${YAML_MAX_BYTES} (4 MiB) a YAML scenario or case file may hold (it is parsed whole, at about 75 times its size in memory)`,
    { file },
    'yaml.too-large',
  );
}

/**
 * The bytes of a YAML file, refused first when past the limit. Opened once and sized through the open
 * file, so a missing file is still reported as the open that failed (`ENOENT, open`), as for any input.
 */
export function readYamlBytes(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    refuseOversizedYaml(file, fstatSync(fd).size);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
