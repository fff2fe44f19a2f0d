import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { termOf } from '../../src/index/terms.js';
import { RELATED_TERMS_PATH, loadRelatedTerms } from '../../src/search/related-terms.js';
import { buildRelatedTerms, formatRelatedTerms } from './wordnet.js';

const term = (word: string): string => termOf(word) ?? '';

describe('related terms from WordNet', () => {
  it('ships the table WordNet makes with the current index terms (run `npm run related-terms` when this fails)', async () => {
    const built = formatRelatedTerms(await buildRelatedTerms());
    expect(built === (await readFile(RELATED_TERMS_PATH, 'utf8'))).toBe(true);
  });

  it('relates synonyms of a common sense and derivations, not a word to itself or to multi-word lemmas', async () => {
    const related = await loadRelatedTerms();
    expect(related.of(term('cancel'))).toContain(term('scrub'));
    expect(related.of(term('destroy'))).toContain(term('destruction'));
    expect(related.of(term('demand'))).toContain(term('require'));
    expect(related.of(term('cancel'))).not.toContain(term('cancel'));
    expect(related.of(term('cancel')).some((t) => t.includes(' ') || t.includes('_'))).toBe(false);
    expect(related.of('no-such-term')).toEqual([]);
  });
});
