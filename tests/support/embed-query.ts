/** Child-process helper for tests: loads the configured model from a fresh process and prints one query vector as JSON. */
import { loadConfig } from '../../src/config.js';
import { createTransformersEmbedder } from '../../src/embeddings/transformers-embedder.js';

const config = loadConfig(process.env);
const embedder = await createTransformersEmbedder({ model: config.model, cacheDir: config.modelCacheDir, hubUrl: config.modelHubUrl });
const vector = await embedder.embedQuery(process.argv[2] ?? '');
process.stdout.write(JSON.stringify(Array.from(vector)));
await embedder.dispose();
