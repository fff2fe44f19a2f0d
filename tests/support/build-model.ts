/** Child-process helper for tests: builds the embedded model into the cache folder given as argument. */
import { ensureUseLiteModel } from '../../src/embeddings/use-lite/build-model.js';

await ensureUseLiteModel(process.argv[2] ?? '.cache/models');
