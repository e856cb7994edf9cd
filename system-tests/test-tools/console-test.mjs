// Drives modproxy's web console in Debian's headless Chromium with Playwright (driver only).
// Usage: node console-test.mjs <gateway base URL> <screenshot dir> <module to find> <search text>
// Exit 0 when every step passed; otherwise prints the failed step and exits 1 (screenshots of
// every step reached are kept either way). Run by OpsIT from this directory (system-tests/test-tools), whose node_modules holds playwright-core.
import { chromium } from 'playwright-core';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const [base, shots, module, searchText] = process.argv.slice(2);
rmSync(shots, { recursive: true, force: true }); // screenshots of this run only
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let step = 'start';
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
// Only the gateway may be asked anything: any other request fails the test.
const foreign = [];
page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
const shot = async (name) => page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
const expect = (cond, what) => { if (!cond) throw new Error(what); };

try {
  step = 'open the console';
  await page.goto(base + '/ui/', { waitUntil: 'networkidle' });
  expect((await page.title()) === 'modproxy console', 'title is ' + (await page.title()));
  await shot('01-console');

  step = 'search modules, with the keyboard';
  const search = page.getByLabel('Search modules', { exact: true });
  await search.fill(searchText);
  await search.press('Enter');
  const link = page.getByRole('link', { name: module, exact: true });
  await link.waitFor({ timeout: 10000 });
  await page.getByText(/modules? found\./).waitFor({ timeout: 10000 });
  await shot('02-search');

  step = 'open the module page';
  await link.click();
  await page.locator('#module-title', { hasText: module }).waitFor({ timeout: 10000 });
  const rows = page.locator('#module-versions tbody tr');
  await rows.first().waitFor({ timeout: 10000 });
  const row = (await rows.first().innerText()).replace(/\s+/g, ' ');
  expect(/v\d+\.\d+\.\d+/.test(row), 'a version row: ' + row);
  expect(/h1:[A-Za-z0-9+/=]{44}/.test(row), 'hashes in the row: ' + row);
  expect(/http:\/\/127\.0\.0\.1:\d+/.test(row), 'the upstream it came from: ' + row);
  const status = await page.locator('#module-status').innerText();
  expect(/stored version/.test(status), 'module status: ' + status);
  await shot('03-module');

  step = 'run an audit query';
  await page.getByRole('link', { name: 'Audit' }).click();
  await page.getByLabel('Module', { exact: true }).fill(module);
  await page.getByLabel('Kind', { exact: true }).selectOption('zip');
  await page.getByRole('button', { name: 'Search audit trail' }).click();
  const line = page.locator('#audit-status-line');
  await line.filter({ hasText: /events?\.|Audit search failed/ }).waitFor({ timeout: 10000 });
  console.log('audit: ' + (await line.innerText()));
  await shot('04-audit');

  step = 'health and metrics';
  await page.getByRole('link', { name: 'Health & metrics' }).click();
  await page.locator('#health-line', { hasText: 'Gateway readiness: UP' }).waitFor({ timeout: 10000 });
  await page.locator('#metrics tbody tr').first().waitFor({ timeout: 10000 });
  await shot('05-status');

  step = 'client settings';
  await page.getByRole('link', { name: 'Client settings' }).click();
  const env = page.getByLabel('Shell', { exact: true });
  await page.waitForFunction(() => document.querySelector('#settings-env').value.includes('GOSUMDB="sum.'), null,
    { timeout: 10000 });
  const text = await env.inputValue();
  expect(text.includes('export GOPROXY=' + base), 'GOPROXY in: ' + text);
  await shot('06-settings');

  expect(foreign.length === 0, 'requests left the gateway: ' + foreign.join(', '));
  console.log('console test passed');
} catch (e) {
  await shot('failed').catch(() => {});
  console.error('console test failed at "' + step + '": ' + e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
