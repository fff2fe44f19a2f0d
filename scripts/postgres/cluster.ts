/**
 * @module postgres/cluster: a throwaway PostgreSQL server, started from the installed binaries, for
 * tests (`tests/support/postgres-global-setup.ts`) and local runs (`npm run postgres`).
 *
 * The data is disposable, so durability is traded for speed (fsync, full-page writes and synchronous
 * commit are off) and anyone on 127.0.0.1 may connect as `postgres` without a password (`-A trust`).
 * Never point this at data you care about.
 */
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chmod, lchown, mkdir, mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { freePort } from '../../tests/support/free-port.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface ThrowawayPostgres {
  /** Admin URL: `postgres://postgres@127.0.0.1:PORT/postgres`. */
  url: string;
  port: number;
  dataDir: string;
  /** Creates a database with a fresh unique name (`prefix` only makes it readable) and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Stops the server (`pg_ctl stop -m fast`) and removes the temp dir; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Keep the cluster in this folder between runs (reused when it already holds one); default: a temp dir that stop() removes. */
  dir?: string;
  /** Listen on this port instead of a free one. */
  port?: number;
  /** Progress lines (initdb, start, timing). */
  log?: (line: string) => void;
}

const INSTALL_HINT =
  'Install the PostgreSQL server: `apt-get install postgresql` (Debian/Ubuntu; the `postgresql-client` package alone has no server).';

/** The newest /usr/lib/postgresql/N/bin (Debian keeps several majors side by side), else `pg_config --bindir`, else PATH. */
export function findPostgresBinDir(): string {
  // Every candidate is checked for initdb: Debian's pg_config (libpq-dev) names a server bin dir even without a server installed.
  const hasServer = (dir: string): boolean => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'));
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    for (const version of versions) {
      const dir = path.join(debian, version, 'bin');
      if (hasServer(dir)) return dir;
    }
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0 && hasServer(pgConfig.stdout.trim())) return pgConfig.stdout.trim();
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && hasServer(dir)) return dir;
  }
  throw new Error(`PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin, \`pg_config --bindir\` or PATH. ${INSTALL_HINT}`);
}

/** Who the server runs as: undefined means "as ourselves"; as root it is the `postgres` OS user, since initdb and postgres refuse to run as root. */
interface ServerUser {
  uid: number;
  gid: number;
}

function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => {
    const result = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    return result.status === 0 ? Number(result.stdout.trim()) : Number.NaN;
  };
  const user = { uid: id('-u'), gid: id('-g') };
  if (!Number.isInteger(user.uid) || !Number.isInteger(user.gid)) {
    throw new Error(`Running as root, and PostgreSQL refuses to run as root, but there is no \`postgres\` OS user to run it as. ${INSTALL_HINT}`);
  }
  return user;
}

interface Tools {
  bin: string;
  user: ServerUser | undefined;
  /** Working directory for the tools: one the server user can certainly enter (our own cwd may be private to root). */
  cwd: string;
}

/**
 * Runs a PostgreSQL tool, as the server user when we are root. Node switches uid/gid itself (and drops
 * root's supplementary groups), which avoids depending on runuser/su and their PAM sessions.
 */
function run(tools: Tools, tool: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(tools.bin, tool), args, { cwd: tools.cwd, uid: tools.user?.uid, gid: tools.user?.gid, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    // pg_ctl start sends the server's own output to the log file (-l), so the pipes close when pg_ctl exits.
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** pg_ctl passes -o through /bin/sh, so values (the socket dir) must be shell-quoted. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

async function fileSize(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0);
}

/** The server log written since `offset` (pg_ctl -l appends, and a kept cluster's log spans many runs), last lines only. */
async function logSince(file: string, offset: number, lines = 30): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '(no server log)';
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString().trimEnd().split('\n').slice(-lines).join('\n') || '(server log is empty)';
  } finally {
    await handle.close();
  }
}

async function chownTree(root: string, user: ServerUser): Promise<void> {
  await lchown(root, user.uid, user.gid);
  for (const entry of await readdir(root, { recursive: true })) await lchown(path.join(root, entry), user.uid, user.gid);
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** pg_ctl -w only knows the postmaster is up; this proves a client can really connect and query. */
async function waitUntilQueryable(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(100);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** A database name no other caller can pick: concurrent test files each create their own. */
function uniqueDatabaseName(prefix = 'db'): string {
  const readable = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 40) || 'db';
  return `${readable}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** `CREATE DATABASE` through an admin URL (usable from any process, e.g. a test worker); returns the new database's URL. */
export async function createDatabase(adminUrl: string, prefix?: string): Promise<string> {
  const name = uniqueDatabaseName(prefix);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function startThrowawayPostgres(options: StartOptions = {}): Promise<ThrowawayPostgres> {
  const log = options.log ?? (() => undefined);
  const startedAt = performance.now();
  const bin = findPostgresBinDir();
  const user = serverUser();
  const keep = options.dir !== undefined;
  const root = options.dir !== undefined ? path.resolve(options.dir) : await mkdtemp(path.join(tmpdir(), 'story-qa-postgres-'));
  await mkdir(root, { recursive: true });
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'postgres.log');
  const tools: Tools = { bin, user, cwd: root };
  const pgCtl = path.join(bin, 'pg_ctl');

  // pg_ctl start can fail after the postmaster was launched (e.g. its -t timeout), so "is there a
  // postmaster.pid" rather than "did start succeed" decides whether there is a server to stop.
  const serverMayRun = (): boolean => existsSync(path.join(dataDir, 'postmaster.pid'));
  // A crashed or process.exit()-ed run must not leave a server behind. 'exit' handlers must be
  // synchronous, hence spawnSync, and quick, hence -m immediate (no shutdown checkpoint: a temp
  // cluster is deleted anyway, a kept one replays its WAL on the next start).
  const stopOnExit = (): void => {
    if (serverMayRun()) spawnSync(pgCtl, ['stop', '-m', 'immediate', '-w', '-D', dataDir], { cwd: root, uid: user?.uid, gid: user?.gid, stdio: 'ignore' });
    if (!keep) rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', stopOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      process.off('exit', stopOnExit);
      if (serverMayRun()) {
        const fast = await run(tools, 'pg_ctl', ['stop', '-m', 'fast', '-w', '-D', dataDir]);
        // -m fast disconnects clients and checkpoints; if even that fails (times out), nothing here is worth waiting for.
        if (fast.code !== 0) {
          log(`pg_ctl stop -m fast failed, stopping immediately: ${fast.output.trim()}`);
          await run(tools, 'pg_ctl', ['stop', '-m', 'immediate', '-w', '-D', dataDir]);
        }
      }
      if (!keep) await rm(root, { recursive: true, force: true });
    })());

  try {
    // As root, the server user needs the folder (and, for a kept cluster, whatever is already in it).
    if (user) await chownTree(root, user);
    if (existsSync(path.join(dataDir, 'PG_VERSION'))) {
      log(`reusing the cluster in ${dataDir}`);
      // postgres refuses a data dir readable by others; a copied or restored folder may have lost its mode.
      await chmod(dataDir, 0o700);
      // A run that was SIGKILLed leaves its server running on the same data dir: take it over by stopping it.
      if ((await run(tools, 'pg_ctl', ['status', '-D', dataDir])).code === 0) {
        log('a server from an earlier run is still running on it; stopping it');
        await run(tools, 'pg_ctl', ['stop', '-m', 'fast', '-w', '-D', dataDir]);
      }
    } else {
      log(`initdb ${dataDir}`);
      // --no-sync: nothing here must survive a power cut. -E UTF8 --locale=C: the same behaviour whatever the machine's locale.
      const initdb = await run(tools, 'initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
      if (initdb.code !== 0) {
        const access = user ? ` (it ran as the postgres OS user, which needs to reach ${root}: if it cannot, set TMPDIR or --dir to a folder it can)` : '';
        throw new Error(`initdb failed (exit ${initdb.code})${access}:\n${initdb.output.trim()}`);
      }
    }

    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await freePort());
      const settings: Record<string, string | number> = {
        listen_addresses: '127.0.0.1',
        port,
        // Sockets in the data dir rather than /var/run/postgresql, which may not exist or be writable, and where clusters would collide.
        unix_socket_directories: dataDir,
        fsync: 'off',
        full_page_writes: 'off',
        synchronous_commit: 'off',
        // Parallel test files each hold pools of connections.
        max_connections: 200,
      };
      const serverArgs = Object.entries(settings)
        .map(([name, value]) => `-c ${name}=${shellQuote(String(value))}`)
        .join(' ');
      const logOffset = await fileSize(logFile);
      const start = await run(tools, 'pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', serverArgs]);
      if (start.code === 0) {
        const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
        await waitUntilQueryable(url).catch(async (error: unknown) => {
          throw new Error(`PostgreSQL started but does not answer on ${url}: ${String(error)}\n--- server log ---\n${await logSince(logFile, logOffset)}`);
        });
        const version = (await readFile(path.join(dataDir, 'PG_VERSION'), 'utf8')).trim();
        log(`PostgreSQL ${version} ready on ${url} in ${Math.round(performance.now() - startedAt)} ms`);
        return { url, port, dataDir, createDatabase: (prefix?: string) => createDatabase(url, prefix), stop };
      }
      const serverLog = await logSince(logFile, logOffset);
      // Another process can grab the free port between freePort() closing it and postgres binding it.
      if (options.port === undefined && attempt < 3 && /could not bind|Address already in use/i.test(serverLog)) {
        log(`port ${port} was taken before postgres could bind it; retrying with another`);
        continue;
      }
      throw new Error(`pg_ctl start failed (exit ${start.code}) on port ${port}:\n${start.output.trim()}\n--- server log ---\n${serverLog}`);
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
