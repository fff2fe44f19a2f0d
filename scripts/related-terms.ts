/**
 * Writes the table of related terms (src/search/model/related-terms.txt) from WordNet 3.1.
 * Run it after changing how words become index terms (src/index/terms.ts); a test checks that
 * the shipped table is what this makes.
 *
 * Usage: npm run related-terms
 */
import { writeFile } from 'node:fs/promises';
import { RELATED_TERMS_PATH } from '../src/search/related-terms.js';
import { buildRelatedTerms, formatRelatedTerms } from './related-terms/wordnet.js';

const table = formatRelatedTerms(await buildRelatedTerms());
await writeFile(RELATED_TERMS_PATH, table);
process.stdout.write(`${RELATED_TERMS_PATH}: ${table.split('\n').length - 1} terms, ${(table.length / 1e6).toFixed(2)} MB\n`);
