/**
 * @module terms: how text becomes search terms, shared by the lexical index, query analysis and
 * highlighting so that all three agree on what "the same word" means.
 */
import { stemmer } from 'stemmer';
import { eng as englishStopwords } from 'stopword';

const STOPWORDS = new Set([...englishStopwords, 's', 't', 'does', 'doing', 'just', 'very', 'much', 'many', 'whom', 'whose', 'yes', 'it', 'its']);

/**
 * News names a country by its capital, government seat or demonym ("Washington", "the Kremlin",
 * "Syrian"); questions often use another name than the article. Each alias is indexed as its country.
 */
const COUNTRY_ALIASES: Readonly<Record<string, readonly string[]>> = {
  us: ['america', 'american', 'americans', 'usa', 'washington'],
  russia: ['russian', 'russians', 'moscow', 'kremlin'],
  syria: ['syrian', 'syrians', 'damascus'],
  uk: ['britain', 'british', 'london'],
  france: ['french', 'paris'],
  china: ['chinese', 'beijing'],
  iran: ['iranian', 'iranians', 'tehran'],
  israel: ['israeli', 'israelis'],
  germany: ['german', 'germans', 'berlin'],
  ukraine: ['ukrainian', 'ukrainians', 'kyiv', 'kiev'],
  iraq: ['iraqi', 'iraqis', 'baghdad'],
  turkey: ['turkish', 'ankara'],
  egypt: ['egyptian', 'egyptians', 'cairo'],
  japan: ['japanese', 'tokyo'],
};
const CANONICAL = new Map(Object.entries(COUNTRY_ALIASES).flatMap(([country, aliases]) => aliases.map((alias) => [alias, country] as const)));

/** Letters and digits, with inner apostrophes, dots and commas kept so "U.S.", "1,400" and "it's" stay whole. */
const WORD = /[\p{L}\p{N}]+(?:['’.,][\p{L}\p{N}]+)*/gu;

/** Folds case, accents and punctuation variants: "Üzümcü" → "uzumcu", "U.S." → "us", "1,400" → "1400". */
export function normalizeWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’.,]/g, '');
}

export function isStopword(normalized: string): boolean {
  return STOPWORDS.has(normalized);
}

/** The term a word is indexed under: normalised, country aliases merged, stemmed; undefined for stopwords. */
export function termOf(word: string): string | undefined {
  // Lower-case "us" is the pronoun; "US" and "U.S." are the country.
  if (word === 'us') return undefined;
  const normalized = normalizeWord(word);
  if (normalized === '' || isStopword(normalized)) return undefined;
  const country = CANONICAL.get(normalized);
  if (country !== undefined) return country;
  return /^\p{N}+$/u.test(normalized) ? normalized : stemmer(normalized);
}

/** The words of a text, with their positions. */
export function words(text: string): { word: string; index: number }[] {
  return Array.from(text.matchAll(WORD), (match) => ({ word: match[0], index: match.index }));
}

/** All index terms of a text, in order, repeats included. */
export function termsOf(text: string): string[] {
  return words(text).flatMap(({ word }) => termOf(word) ?? []);
}
