/**
 * @module freeze-on-write: preloaded (`--import`) into a child process for the crash tests. When the
 * process writes a file whose path matches FREEZE_ON_WRITE, it prints FROZEN and blocks for good,
 * so the test can SIGKILL it at exactly that point of writing an index, with real files half done.
 */
import { writeSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

export const FROZEN_MARKER = 'FROZEN';

const pattern = new RegExp(process.env.FREEZE_ON_WRITE ?? '^$');
// The CommonJS object behind node:fs/promises; syncBuiltinESMExports carries a change to its ESM imports.
const fsPromises = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
const writeFile = fsPromises.writeFile;

fsPromises.writeFile = (async (...args: Parameters<typeof writeFile>) => {
  await writeFile(...args);
  if (!pattern.test(String(args[0]))) return;
  writeSync(1, `${FROZEN_MARKER}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // blocks this thread until killed
}) as typeof writeFile;
syncBuiltinESMExports();
