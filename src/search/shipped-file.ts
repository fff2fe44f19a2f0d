/**
 * @module shipped-file: where the search's shipped data files are (model/: the trained models, the
 * table of related words): beside this module, or for compiled code (in dist/ or any other output
 * folder inside the project) in the project's src/. One copy, so a build never serves a stale one.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function shippedFile(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'model', name);
  if (existsSync(beside)) return beside;
  const inSources = join('src', 'search', 'model', name);
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, inSources))) return join(dir, inSources);
  return beside;
}
