/**
 * @module terms: how text becomes search terms, shared by the lexical index, query analysis and
 * highlighting so that all three agree on what "the same word" means.
 */
import { stemmer } from 'stemmer';
import { eng as englishStopwords } from 'stopword';

/** Contractions lose their apostrophe in normalisation ("didn't" → "didnt"). */
const CONTRACTIONS = ['didnt', 'doesnt', 'dont', 'isnt', 'wasnt', 'arent', 'werent', 'cant', 'wont', 'couldnt', 'shouldnt', 'wouldnt', 'hasnt', 'havent', 'hadnt', 'whats', 'wheres', 'whos', 'hows', 'whens', 'whys', 'thats', 'theres', 'im', 'ive', 'youre', 'theyre', 'weve', 'lets', 'id', 'ill', 'hes', 'shes'];
const STOPWORDS = new Set([...englishStopwords, ...CONTRACTIONS, 's', 't', 'does', 'doing', 'just', 'very', 'much', 'many', 'whom', 'whose', 'yes', 'it', 'its']);

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
  un: [],
  eu: [],
};
/** Months as AP style abbreviates them, so "August" finds "Aug. 21". */
const MONTH_ALIASES: Readonly<Record<string, readonly string[]>> = {
  jan: ['january'], feb: ['february'], mar: ['march'], apr: ['april'], jun: ['june'], jul: ['july'],
  aug: ['august'], sep: ['sept', 'september'], oct: ['october'], nov: ['november'], dec: ['december'],
};
/**
 * Canonical terms are upper case, which no stem is, so they never collide with a stemmed word
 * ("use" stems to "us").
 */
const CANONICAL = new Map(
  Object.entries({ ...COUNTRY_ALIASES, ...MONTH_ALIASES }).flatMap(([canonical, aliases]) =>
    [canonical, ...aliases].map((alias) => [alias, canonical.toUpperCase()] as const),
  ),
);

/** Names often written out in full in articles and abbreviated in questions, or the other way round. */
const PHRASES: ReadonlyMap<string, string> = new Map(Object.entries({
  'united nations': 'UN',
  'united states': 'US',
  'united kingdom': 'UK',
  'european union': 'EU',
}));

/** Letters and digits, with inner apostrophes, dots and commas kept so "U.S.", "1,400" and "it's" stay whole. */
const WORD = /[\p{L}\p{N}]+(?:['’.,][\p{L}\p{N}]+)*/gu;

/** Folds case, accents and punctuation variants: "Üzümcü" → "uzumcu", "U.S." → "us", "1,400" → "1400". */
export function normalizeWord(word: string): string {
  return word
    .replace(/['’]s$/i, '') // possessive: "Moscow's" is Moscow
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’.,]/g, '');
}

export function isStopword(normalized: string): boolean {
  return STOPWORDS.has(normalized);
}

/** Stemming is the costly part of term analysis, and a story reuses few distinct words. */
const termCache = new Map<string, string | null>();
const TERM_CACHE_LIMIT = 200_000;

/** The term a word is indexed under: normalised, country aliases merged, stemmed; undefined for stopwords. */
export function termOf(word: string): string | undefined {
  const cached = termCache.get(word);
  if (cached !== undefined) return cached ?? undefined;
  const term = analyseWord(word);
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  termCache.set(word, term ?? null);
  return term;
}

function analyseWord(word: string): string | undefined {
  // Lower-case "us" is the pronoun; "US" and "U.S." are the country.
  if (word === 'us') return undefined;
  const phrase = PHRASES.get(word.toLowerCase().replace(/\s+/, ' '));
  if (phrase !== undefined) return phrase;
  const normalized = normalizeWord(word);
  if (normalized === '' || isStopword(normalized)) return undefined;
  const canonical = CANONICAL.get(normalized);
  if (canonical !== undefined) return canonical;
  return /^\p{N}+$/u.test(normalized) ? normalized : stemmer(normalized);
}

/** First words of the names in PHRASES, to test a pair only when it can be one. */
const PHRASE_HEADS = new Set([...PHRASES.keys()].map((phrase) => phrase.split(' ')[0]));

/** The words of a text, with their positions; a known two-word name ("United Nations") counts as one word. */
export function words(text: string): { word: string; index: number }[] {
  const found = Array.from(text.matchAll(WORD), (match) => ({ word: match[0], index: match.index }));
  const merged: { word: string; index: number }[] = [];
  for (let k = 0; k < found.length; k += 1) {
    const first = found[k] as { word: string; index: number };
    const second = found[k + 1];
    if (second && PHRASE_HEADS.has(first.word.toLowerCase())) {
      const pair = text.slice(first.index, second.index + second.word.length);
      if (/^\S+\s+\S+$/.test(pair) && PHRASES.has(pair.toLowerCase().replace(/\s+/, ' '))) {
        merged.push({ word: pair, index: first.index });
        k += 1;
        continue;
      }
    }
    merged.push(first);
  }
  return merged;
}

/** All index terms of a text, in order, repeats included. */
export function termsOf(text: string): string[] {
  return words(text).flatMap(({ word }) => termOf(word) ?? []);
}

const ACRONYM_CONNECTORS = new Set(['of', 'for', 'the', 'and', 'on', 'in', 'sans', 'without']);

/**
 * Acronyms a text implies: "Free Syrian Army" → "fsa", "Organisation for the Prohibition of
 * Chemical Weapons" → "opcw". Questions use the short form of names articles spell out.
 * A name is a run of capitalised words, with short connectors inside, unbroken by punctuation.
 */
export function acronymsOf(text: string): string[] {
  const acronyms: string[] = [];
  let initials = '';
  let connectors = 0;
  let end = 0;
  const close = (): void => {
    if (initials.length >= 2) acronyms.push(initials.toLowerCase());
    initials = '';
    connectors = 0;
  };
  for (const { word, index } of words(text)) {
    if (/\S/.test(text.slice(end, index))) close(); // punctuation between words ends a name
    end = index + word.length;
    for (const part of word.split(/\s+/)) {
      const lower = part.toLowerCase();
      if (/^\p{Lu}/u.test(part) && !(initials === '' && isStopword(lower))) {
        initials += part[0] ?? '';
        connectors = 0;
      } else if (initials !== '' && ACRONYM_CONNECTORS.has(lower) && connectors < 2) {
        connectors += 1;
      } else {
        close();
      }
    }
  }
  close();
  return acronyms;
}
