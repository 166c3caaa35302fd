// The HTML report in a real browser (Debian chromium driven by playwright-core), asserting what a
// person sees: the failing stage highlighted in the pipeline graph, expected/got values side by side,
// changed packet bytes marked; and a screenshot. Without chromium this test is not registered on a
// developer machine, but under CI=true it FAILS: CI must install chromium (.ci/run does).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runSuite } from '../../harness/suite/run-suite.js';
import { htmlReport } from '../../harness/report/html.js';
import { editJson, fixtureCopy, models } from '../harness/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const present = existsSync(CHROMIUM);

if (!present && !inCi) console.warn(`html-browser.test: ${CHROMIUM} missing, browser test not registered (apt-get install -y chromium)`);

describe.runIf(present || inCi)('HTML report in chromium', () => {
  it('shows the failing stage highlighted and the expected/got values', async () => {
    if (!present) throw new Error(`CI=true but ${CHROMIUM} is missing: install Debian's chromium in .ci/run`);
    const root = fixtureCopy();
    editJson(join(root, 'cases/toy-syn/syn.golden.json'), (d) => {
      d.traces[0].stages[2].fields['ip4.ttl'] = 62;
      d.traces[0].stages[2].packet.hex = d.traces[0].stages[2].packet.hex.slice(0, 44) + '3e' + d.traces[0].stages[2].packet.hex.slice(46);
    });
    const r = await runSuite({ paths: [join(root, 'cases/toy-syn')], models });
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-html-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, htmlReport(r));

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const requests: string[] = [];
      page.on('request', (q) => requests.push(q.url()));
      await page.goto(pathToFileURL(file).href);
      // Self-contained: the only request is the file itself.
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);

      await expect.poll(() => page.locator('.summary .failed').innerText()).toBe('1 failed');
      const diverging = page.locator('svg .stage.diverging');
      expect(await diverging.count()).toBe(1);
      expect(await diverging.getAttribute('data-node')).toBe('toy-rewrite');
      expect(await diverging.isVisible()).toBe(true);
      // Highlighted = drawn red and thick, unlike the matching stages.
      const stroke = await diverging.locator('rect').evaluate((e) => (globalThis as any).getComputedStyle(e).stroke);
      expect(stroke).toBe('rgb(211, 47, 47)');
      const okStroke = await page.locator('svg .stage[data-node="toy-input"] rect').evaluate((e) => (globalThis as any).getComputedStyle(e).stroke);
      expect(okStroke).not.toBe(stroke);

      await expect.poll(() => page.locator('.divergence').first().innerText()).toContain('diverges at toy-rewrite: ip4.ttl expected 62, got 63');
      // The diverging stage's detail is open: the ttl row shows expected and got side by side.
      const row = page.locator('.detail.shown tr[data-field="ip4.ttl"]');
      expect(await row.isVisible()).toBe(true);
      expect(await row.locator('td.expected').innerText()).toBe('62');
      expect(await row.locator('td.got').innerText()).toBe('63');
      // The TTL byte (offset 22) is marked in the packet bytes.
      const marks = page.locator('.detail.shown .bytes mark');
      expect(await marks.count()).toBeGreaterThan(0);
      expect(await marks.first().getAttribute('title')).toBe('byte 22');

      // Clicking another stage shows its fields instead.
      await page.locator('svg .stage[data-node="toy-lookup"]').click();
      expect(await page.locator('.detail.shown h3').innerText()).toContain('toy-lookup');
      await page.locator('svg .stage.diverging').click();

      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      copyFileSync(shot, join(tmpdir(), 'dpconform-html-report.png'));
      expect(existsSync(shot)).toBe(true);
    } finally {
      await browser.close();
    }
  }, 30000);
});
