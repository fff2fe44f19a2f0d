/**
 * `npm run -s postgres [-- --dir FOLDER] [-- --port N]`: a throwaway PostgreSQL server for local runs.
 * Prints `DATABASE_URL=postgres://...` on stdout (so `npm run -s postgres > .env.postgres` works) and a
 * hint on stderr, then serves until Ctrl+C / SIGTERM, when it stops the server cleanly. The data lives in
 * a temp dir removed on exit, unless --dir names a folder to keep it in (and reuse it from next time).
 */
import { parseArgs } from 'node:util';
import { startThrowawayPostgres } from './postgres/cluster.js';

const usage = 'usage: npm run -s postgres -- [--dir FOLDER] [--port N]\n';
const { values: flags } = (() => {
  try {
    return parseArgs({ options: { dir: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
})();
if (flags.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const port = flags.port === undefined ? undefined : Number(flags.port);
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65_536)) {
  process.stderr.write(`--port must be a TCP port number, not "${flags.port}"\n${usage}`);
  process.exit(2);
}

const { url, dataDir, stop } = await startThrowawayPostgres({ dir: flags.dir, port }).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  return process.exit(1);
});

process.stdout.write(`DATABASE_URL=${url}\n`);
const where = flags.dir === undefined ? `${dataDir} (deleted on exit)` : `${dataDir} (kept)`;
process.stderr.write(`PostgreSQL is running, data in ${where}; try: psql "${url}"; Ctrl+C to stop\n`);

// Signal handlers alone do not keep Node alive; this timer does, until shutdown clears it.
const keepAlive = setInterval(() => undefined, 1 << 30);
let stopping = false;
const shutdown = (signal: NodeJS.Signals): void => {
  // A second Ctrl+C while stopping is ignored rather than killing us halfway (which would skip the cleanup).
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${signal}: stopping PostgreSQL…\n`);
  stop().then(
    () => {
      clearInterval(keepAlive);
      process.stderr.write('PostgreSQL stopped\n');
    },
    (error: unknown) => {
      process.stderr.write(`stopping PostgreSQL failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
