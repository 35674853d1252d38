// SPDX-License-Identifier: GPL-3.0-or-later
// The browser API tester page in headless Chromium: start `fika-cli serve` on the tiny-bert
// checkpoint, type a review and the token, click Play, read the probability bars; tick Explain and
// read the shaded words, a long review's unseen part included.
// Env: FIKA_CLI (fika-cli), FIKA_SHARED_DIR (../shared), FIKA_VOCAB (the bundled vocab);
// FIKA_WEB_CHECKPOINT serves that checkpoint folder instead, FIKA_WEB_SCREENSHOTS saves screenshots there.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, mkdirSync, symlinkSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const SKIP = 77;
const checkpoint = process.env.FIKA_WEB_CHECKPOINT ?? join(process.env.FIKA_SHARED_DIR ?? '../shared', 'golden/tiny-bert');
if (!existsSync(join(checkpoint, 'model.safetensors'))) {
  console.log(`SKIP: needs ${checkpoint} (the shared data folder beside the checkout)`);
  process.exit(SKIP);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.log('SKIP: playwright-core is not installed (npm install --prefix tests/web)');
  process.exit(SKIP);
}

const dir = mkdtempSync(join(tmpdir(), 'fika-web-'));
const token = 'a'.repeat(20) + 'b'.repeat(20);
writeFileSync(join(dir, 'token'), token + '\n');
// The tiny-bert goldens hold weights and config only: add the bundled vocabulary beside them.
mkdirSync(join(dir, 'model'));
for (const file of ['config.json', 'model.safetensors', 'tokenizer_config.json', 'experiment.yaml'])
  if (existsSync(join(checkpoint, file))) symlinkSync(join(checkpoint, file), join(dir, 'model', file));
copyFileSync(existsSync(join(checkpoint, 'vocab.txt')) ? join(checkpoint, 'vocab.txt') : process.env.FIKA_VOCAB,
  join(dir, 'model', 'vocab.txt'));
const server = spawn(process.env.FIKA_CLI, ['serve', '--checkpoint', dir + '/model', '--port', '0',
  '--token-file', join(dir, 'token'), '--input-name', 'review', '--target-name', 'sentiment'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
const url = await new Promise((resolve, reject) => {
  server.stderr.on('data', (chunk) => {
    log += chunk;
    const found = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
    if (found) resolve(found[1]);
  });
  server.on('exit', (code) => reject(new Error(`fika-cli serve exited with ${code}:\n${log}`)));
  setTimeout(() => reject(new Error('fika-cli serve did not start:\n' + log)), 30000).unref();
});

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.goto(url + '/');
  assert.equal(await page.title(), 'Fika API tester');
  assert.match(await page.textContent('#token-help'), /Deployment view.*--token-file/s); // where the token comes from
  await page.fill('#token', token);
  await page.fill('#text', 'A fun brain candy movie...good dialog. A genuinely good day');
  assert.match(await page.textContent('#curl'), new RegExp(`-u '${token}:' ${url}/predict`));
  await page.click('#play');
  await page.waitForSelector('.bar');
  const bars = await page.$$eval('.bar', (rows) => rows.map((r) => [r.dataset.label, Number(r.dataset.probability)]));
  assert.deepEqual(bars.map(([label]) => label).sort(), ['negative', 'positive']);
  const sum = bars.reduce((total, [, p]) => total + p, 0);
  assert.ok(Math.abs(sum - 1) < 1e-5, `probabilities sum to ${sum}`);
  const widths = await page.$$eval('.bar .fill', (fills) => fills.map((f) => parseFloat(f.style.width)));
  assert.ok(widths.every((w) => w >= 0 && w <= 100));
  assert.match(await page.textContent('#status'), /^(negative|positive) in \d+ ms$/);
  console.log('bars:', JSON.stringify(bars));

  // Explain: the text as typed, each word shaded by its attribution, the numbers in tooltips.
  const review = 'Déjà vu: the acting was not bad at all,\nand the ending is a genuinely good surprise';
  await page.fill('#text', review);
  await page.check('#explain');
  assert.match(await page.textContent('#curl'), new RegExp(`'${url}/predict\\?explain=true'`));
  await page.click('#play');
  await page.waitForSelector('#explanation:not([hidden]) #explained .w');
  assert.equal(await page.textContent('#explained'), review); // offsets in code points: accents and the line break kept
  const words = await page.$$eval('#explained .w', (spans) => spans.map((s) => ({
    text: s.textContent, attribution: Number(s.dataset.attribution), title: s.title, background: getComputedStyle(s).backgroundColor })));
  assert.equal(words[0].text, 'Déjà');
  assert.equal(words.length, 19);
  const meta = await page.textContent('#explainMeta');
  const [, explained, logit] = /^Explained: (\w+), logit (-?[\d.]+), baseline logit (-?[\d.]+), 32 steps/.exec(meta) ?? [];
  assert.ok(explained, meta);
  assert.equal(explained, (await page.textContent('#status')).split(' ')[0]); // the label answered
  assert.equal(Number(logit).toFixed(3), Number(await page.getAttribute('#explanation', 'data-logit')).toFixed(3));
  const difference = Number(await page.getAttribute('#explanation', 'data-logit')) -
    Number(await page.getAttribute('#explanation', 'data-baseline-logit'));
  const wordSum = words.reduce((total, w) => total + w.attribution, 0);
  assert.ok(Math.abs(wordSum - difference) <= 0.01 * Math.abs(difference), `words sum to ${wordSum}, logit − baseline logit is ${difference}`);
  assert.equal(await page.isHidden('#explainWarning'), true);
  const largest = Math.max(...words.map((w) => Math.abs(w.attribution)));
  for (const w of words) {
    assert.match(w.title, new RegExp(`^“${w.text}”: [-+]?[\\d.e+-]+, -?[\\d.]+ % of logit − baseline logit`));
    const [r, , b] = w.background.match(/\d+/g).map(Number);
    if (Math.abs(w.attribution) > 0.2 * largest) // orange for the class, blue against
      assert.ok(w.attribution > 0 ? r > b : b > r, `${w.text} ${w.attribution} on ${w.background}`);
  }
  assert.equal(await page.textContent('#legendFor'), 'for ' + explained);
  assert.equal(await page.isHidden('#legendUnseen'), true);
  if (process.env.FIKA_WEB_SCREENSHOTS)
    await page.screenshot({ path: join(process.env.FIKA_WEB_SCREENSHOTS, 'api-tester-explain.png'), fullPage: true });

  // A review past the sequence length: the part the model never saw is greyed.
  const long = Array.from({ length: 700 }, (_, i) => (i % 5 ? 'good' : 'dull')).join(' ');
  await page.fill('#text', long);
  await page.click('#play');
  await page.waitForSelector('#explanation:not([hidden]) #explained .unseen');
  assert.equal(await page.textContent('#explained'), long);
  assert.equal(await page.isHidden('#legendUnseen'), false);
  assert.match(await page.getAttribute('#explained .unseen', 'title'), /not seen by the model/);
  if (process.env.FIKA_WEB_SCREENSHOTS)
    await page.screenshot({ path: join(process.env.FIKA_WEB_SCREENSHOTS, 'api-tester-explain-long.png'), fullPage: true });
  // Unticked, the next answer has no explanation.
  await page.uncheck('#explain');
  await page.fill('#text', 'A fun brain candy movie');
  await page.click('#play');
  await page.waitForFunction(() => /in \d+ ms$/.test(document.getElementById('status').textContent));
  assert.equal(await page.isHidden('#explanation'), true);

  await page.fill('#token', 'wrong-token-wrong-token');
  await page.click('#play');
  await page.waitForSelector('#status.error');
  assert.match(await page.textContent('#status'), /^401: missing or wrong token/);
} finally {
  await browser.close();
  server.kill('SIGINT');
}
const code = await new Promise((resolve) => server.on('exit', resolve));
assert.equal(code, 0, log);
assert.ok(!log.includes(token), 'the token appears in the server log');
assert.match(log, /POST \/predict 200 /);
console.log('PASS: the API tester page answered in headless Chromium');
