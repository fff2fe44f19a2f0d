/**
 * @module load-corpus-child: loads a corpus folder and prints what was skipped, as JSON. Run as
 * another user (spawn's `uid`), it shows how the loader meets permissions when the tests run as
 * root, for whom no file is unreadable.
 */
import { loadCorpus } from '../../src/corpus/load-corpus.js';

const [dir = ''] = process.argv.slice(2);
const { articles, skipped } = await loadCorpus(dir);
process.stdout.write(JSON.stringify({ articles: articles.map((article) => article.file), skipped }));
