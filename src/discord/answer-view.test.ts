import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from 'discord.js';
import type { Span } from '../corpus/article.js';
import type { IndexedArticle } from '../index/story-index.js';
import type { RankedPassage, SearchResult } from '../search/search.js';
import { PASSAGES_PER_PAGE, answerMessage, declinedMessage, escapeQuoted } from './answer-view.js';
import { EMBED_LIMITS } from './limits.js';

const article: IndexedArticle = { id: 'seed', file: 'seed.txt', title: 'A deal on Syria’s chemical weapons is far from done.', url: 'https://example.org/deal', passageCount: 3 };

function ranked(sentences: string[], highlight: number, paragraph = 1): RankedPassage {
  const text = sentences.join(' ');
  const spans: Span[] = [];
  let at = 0;
  for (const sentence of sentences) {
    spans.push([at, at + sentence.length]);
    at += sentence.length + 1;
  }
  return {
    passage: { id: `seed#${paragraph}`, articleId: 'seed', paragraph, part: 1, text, sentences: spans },
    article,
    score: 0.8,
    rankerScore: 2,
    highlight: spans[highlight] as Span,
    similarity: 0.5,
    coverage: 0.5,
    passageCoverage: 0.5,
    mayHoldAnswerType: false,
    label: 0,
  };
}

function result(passages: RankedPassage[], question = 'what did Putin demand'): SearchResult {
  return {
    question: { original: question, text: question, corrections: [], terms: new Map(), answerType: undefined, unmentioned: [] },
    answered: true,
    answerability: { features: new Float64Array(), probability: 0.9 },
    passages,
    timings: { embedMs: 0, lexicalMs: 0, vectorMs: 0, evidenceMs: 0, rankingMs: 0 },
  };
}

const longSentence = (n: number): string => `${Array.from({ length: 30 }, (_, k) => `word${n}x${k}`).join(' ')}.`;

describe('answerMessage', () => {
  it('quotes each passage with its best sentence in bold and a citation with paragraph, link and score', () => {
    const message = answerMessage(result([ranked(['Syria has agreed.', 'But Putin wants strikes off the table.'], 1, 3)]), 0, 'abc');
    const [field] = message.embeds[0]?.fields ?? [];
    expect(message.embeds[0]?.title).toBe('what did Putin demand');
    expect(field?.name).toBe('1. A deal on Syria’s chemical weapons is far from done.');
    expect(field?.value).toBe('> Syria has agreed. **But Putin wants strikes off the table.**\n*paragraph 3 · [open article](https://example.org/deal#:~:text=But%20Putin%20wants%20strikes%20off%20the%20table.) · relevance 0.80*');
  });

  it('escapes exactly as discord.js does with every emphasis rule on, whether or not the text has a * or _', () => {
    const texts = ['Plain text: no emphasis at all.', 'snake_case and *stars*', '__under__ **bold** _it_ ***all***', 'a*b', 'x_y', '<:emoji_name:123> _x_', 'https://a.b/c_d *e*', '# heading\n- item\n1. first [link](https://a.b)'];
    for (const text of texts) expect(escapeQuoted(text)).toBe(escapeMarkdown(text, { numberedList: true, bulletedList: true, heading: true, maskedLink: true }));
  });

  it('escapes markdown so quotes show verbatim', () => {
    const message = answerMessage(result([ranked(['He said *never* and __maybe__ `now` ~~then~~ > quote # head.'], 0)], '**bold** question'), 0, undefined);
    expect(message.embeds[0]?.title).toBe('\\*\\*bold\\*\\* question');
    expect(message.embeds[0]?.fields?.[0]?.value).toContain('He said \\*never\\* and \\_\\_maybe\\_\\_ \\`now\\` \\~\\~then\\~\\~');
  });

  it('stays within every embed limit, cutting at sentence boundaries and never mid-word', () => {
    const huge = ranked(Array.from({ length: 12 }, (_, k) => longSentence(k)), 5);
    const message = answerMessage(result([huge, huge, huge, huge], `${'why '.repeat(100)}?`), 0, 'abc');
    const [embed] = message.embeds;
    expect(embed?.title?.length).toBeLessThanOrEqual(EMBED_LIMITS.title);
    expect(embed?.title).toMatch(/why…$/);
    let total = (embed?.title?.length ?? 0) + (embed?.footer?.text.length ?? 0);
    for (const field of embed?.fields ?? []) {
      expect(field.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
      expect(field.value).toContain(`**${longSentence(5)}**`);
      expect(field.value).toMatch(/^> … (\*\*)?word\d+x0 .* …\n/); // whole sentences, cut marked on both sides
      total += field.name.length + field.value.length;
    }
    expect(total).toBeLessThanOrEqual(EMBED_LIMITS.total);
  });

  it('cuts a single overlong best sentence at a word and keeps the bold balanced', () => {
    const giant = ranked([Array.from({ length: 400 }, (_, k) => `w${k}`).join(' ')], 0);
    const value = answerMessage(result([giant]), 0, undefined).embeds[0]?.fields?.[0]?.value ?? '';
    expect(value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
    expect(value).toMatch(/^> \*\*w0 w1 .* w\d+…\*\*\n/);
  });

  it('pages through results with a More passages button while there are more', () => {
    const passages = Array.from({ length: 7 }, (_, k) => ranked([`Passage ${k}.`], 0, k + 1));
    const first = answerMessage(result(passages), 0, 'abc');
    expect(first.embeds[0]?.fields).toHaveLength(PASSAGES_PER_PAGE);
    expect(first.components[0]?.components[0]).toMatchObject({ label: 'More passages', custom_id: 'more:abc:3' });
    const last = answerMessage(result(passages), 6, 'abc');
    expect(last.embeds[0]?.fields?.map((f) => f.name.slice(0, 2))).toEqual(['7.']);
    expect(last.embeds[0]?.footer?.text).toMatch(/^Passages 7–7 of 7/);
    expect(last.components).toEqual([]);
  });
});

describe('declinedMessage', () => {
  it('says honestly that the story does not cover it, and what it does cover', () => {
    const declined = declinedMessage(result([], 'Who wrote Hamlet?'), { articles: [article] });
    expect(declined.embeds[0]?.description).toContain("The story doesn't cover that");
    expect(declined.embeds[0]?.description).toContain('• A deal on Syria’s chemical weapons is far from done.');
    expect(declined.components).toEqual([]);
  });
});
