/**
 * Child process for the benchmark: opens an existing index as the bot does, answers a few
 * questions, and prints its resident memory, so the figure is not the benchmark's own.
 */
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

const [corpusDir = 'corpus', indexDir = 'data/index'] = process.argv.slice(2);
const started = performance.now();
const app = await createApp(loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir }), { logger: createLogger('silent'), trustIndex: true });
const loadSeconds = (performance.now() - started) / 1000;
for (const question of ['what did Putin demand', 'Who is the Senate Majority Leader?', 'When was the meeting?']) await app.ask(question);
global.gc?.();
process.stdout.write(JSON.stringify({ rssMb: process.memoryUsage().rss / 2 ** 20, loadSeconds }));
await app.close();
