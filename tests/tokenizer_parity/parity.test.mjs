// SPDX-License-Identifier: GPL-3.0-or-later
// Exhaustive tokenizer parity with Hugging Face `tokenizers` (the Rust pipeline behind transformers'
// fast BERT tokenizer, through its Node binding, pinned in package.json): every code point
// U+0000..U+10FFFF except surrogates, inside a word ("a<c>b") and alone (" <c> "), encoded by both
// with the bert-base-uncased setup; any difference fails the test.
// Env: FIKA_CLI (fika-cli), FIKA_VOCAB (the bundled vocab.txt). Optional: FIKA_PARITY_SHOW (differences
// printed, default 40).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';

const SKIP = 77;
const require = createRequire(import.meta.url);
let Tokenizer;
try {
  ({ Tokenizer } = require('tokenizers'));
} catch {
  console.log('SKIP: the npm package tokenizers is not installed (npm ci --prefix tests/tokenizer_parity)');
  process.exit(SKIP);
}
const cli = process.env.FIKA_CLI;
const vocabPath = process.env.FIKA_VOCAB;
for (const [name, path] of [['FIKA_CLI', cli], ['FIKA_VOCAB', vocabPath]]) {
  if (!path || !existsSync(path)) {
    console.error(`FAIL: ${name} (${path ?? 'unset'}) does not name an existing file`);
    process.exit(1);
  }
}
const show = Number(process.env.FIKA_PARITY_SHOW ?? 40);

// The bert-base-uncased tokenizer.json: lowercase, clean text, Chinese characters split, accents
// stripped because strip_accents follows lowercase when null, WordPiece with max 100 characters.
const vocab = readFileSync(vocabPath, 'utf8').split('\n');
if (vocab.at(-1) === '') vocab.pop();
const ids = Object.fromEntries(vocab.map((token, i) => [token, i]));
const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content) => ({
  id: ids[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
const hf = Tokenizer.fromString(JSON.stringify({
  version: '1.0', truncation: null, padding: null, added_tokens: special,
  normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: { type: 'BertProcessing', sep: ['[SEP]', ids['[SEP]']], cls: ['[CLS]', ids['[CLS]']] },
  decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
}));

const contexts = [['word', (c) => 'a' + c + 'b'], ['alone', (c) => ' ' + c + ' ']];
const codePoints = [];
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp < 0xd800 || cp > 0xdfff)
    codePoints.push(cp);
}
const texts = [];
for (const cp of codePoints) {
  const c = String.fromCodePoint(cp);
  for (const [, wrap] of contexts)
    texts.push(wrap(c));
}

const started = Date.now();
// Fika, through `fika-cli tokenize --jsonl`, streamed while Hugging Face encodes.
const fikaDone = new Promise((resolve, reject) => {
  const child = spawn(cli, ['tokenize', '--jsonl', '--vocab', vocabPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = [];
  let err = '';
  child.stdout.on('data', (chunk) => out.push(chunk));
  child.stderr.on('data', (chunk) => { err += chunk; });
  child.on('error', reject);
  child.on('close', (code) => {
    if (code !== 0)
      reject(new Error(`${cli} tokenize exited with ${code}: ${err}`));
    else
      resolve(Buffer.concat(out).toString('utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line).ids));
  });
  child.stdin.on('error', () => {}); // a fika-cli that stops reading early: its exit status tells why
  child.stdin.end(texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');
});
fikaDone.catch(() => {}); // reported where it is awaited, after Hugging Face's pass

const hfIds = [];
const batch = 65536;
for (let i = 0; i < texts.length; i += batch) {
  for (const encoding of await hf.encodeBatch(texts.slice(i, i + batch)))
    hfIds.push(encoding.getIds());
}
let fikaIds;
try {
  fikaIds = await fikaDone;
} catch (error) {
  console.error(`FAIL: ${error.message}`);
  process.exit(1);
}
if (fikaIds.length !== texts.length) {
  console.error(`FAIL: fika-cli answered ${fikaIds.length} lines for ${texts.length} texts`);
  process.exit(1);
}

// General category by Node's own Unicode tables, to show which class of characters differs.
const categories = ['Cc', 'Cf', 'Cn', 'Co', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'Mc', 'Me', 'Mn', 'Nd', 'Nl', 'No', 'Pc', 'Pd',
  'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'Sc', 'Sk', 'Sm', 'So', 'Zl', 'Zp', 'Zs'].map((gc) => [gc, new RegExp(`^\\p{gc=${gc}}$`, 'u')]);
const categoryOf = (c) => categories.find(([, re]) => re.test(c))?.[0] ?? '?';
const hex = (cp) => 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
const tokens = (list) => list.map((id) => vocab[id] ?? `#${id}`).join(' ');

const perContext = Object.fromEntries(contexts.map(([name]) => [name, 0]));
const perCategory = {};
const differingCodePoints = new Set();
let shown = 0;
for (let i = 0; i < texts.length; i++) {
  const a = hfIds[i], b = fikaIds[i];
  if (a.length === b.length && a.every((id, k) => id === b[k]))
    continue;
  const cp = codePoints[i / contexts.length | 0];
  const context = contexts[i % contexts.length][0];
  const gc = categoryOf(String.fromCodePoint(cp));
  perContext[context]++;
  perCategory[gc] = (perCategory[gc] ?? 0) + 1;
  differingCodePoints.add(cp);
  if (shown++ < show)
    console.log(`${hex(cp)} (${gc}) ${context} ${JSON.stringify(texts[i])}: huggingface [${tokens(a)}] fika [${tokens(b)}]`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const summary = `${codePoints.length} code points x ${contexts.length} contexts in ${seconds} s`;
if (differingCodePoints.size === 0) {
  console.log(`PASS: ${summary}, identical ids`);
  process.exit(0);
}
console.log(`FAIL: ${summary}: ${differingCodePoints.size} code points differ ` +
  `(${contexts.map(([name]) => `${name}: ${perContext[name]}`).join(', ')}; by category: ` +
  `${Object.entries(perCategory).sort((x, y) => y[1] - x[1]).map(([gc, n]) => `${gc} ${n}`).join(', ')})`);
process.exit(1);
