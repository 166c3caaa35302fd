// `npx dpconform` runs package.json's bin directly: npm exec neither links nor chmods the root project's
// own bin, and tsc writes 0644 files. The build must leave the CLI executable (a clean clone once
// failed with `sh: 1: dpconform: Permission denied`), and it must start with a node shebang.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { bin: Record<string, string> };

describe('the dpconform bin after npm run build', () => {
  it('is executable and starts with #!/usr/bin/env node', () => {
    const bin = join(process.cwd(), pkg.bin.dpconform);
    expect(statSync(bin).mode & 0o111).toBe(0o111);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
