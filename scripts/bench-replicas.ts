/**
 * `npm run bench:replicas [-- --replicas N] [-- --count N] [-- --rate R] [-- --kill term|kill|none] [-- --json]`:
 * a throwaway PostgreSQL, N replicas of `npm run start:http` (compiled) on it, and nginx in front
 * of them with deploy/nginx/story-qa-bot.conf (installed from Debian when missing and this runs as
 * root; else a small round-robin proxy in this script, said so in the output). The fake Discord
 * POSTs signed /ask through the balancer at the given rate and one replica is stopped halfway
 * (SIGTERM by default: what a rolling restart does; SIGKILL: a crash). Prints deferral and answer
 * times, answers lost, and each replica's share and resident memory.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildForStart, residentMb } from './bench/cold-start.js';
import { round } from './bench/stats.js';
import { startThrowawayPostgres } from './postgres/cluster.js';
import { runAskLoad } from '../tests/support/ask-load.js';
import { startFakeDiscord } from '../tests/support/fake-discord.js';
import { freePort } from '../tests/support/free-port.js';
import { type Running, startNodeProcess } from '../tests/support/node-process.js';
import { makeTempDir } from '../tests/support/temp-dir.js';

const { values: flags } = parseArgs({
  options: {
    replicas: { type: 'string', default: '3' },
    count: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '200' },
    kill: { type: 'string', default: 'term' },
    json: { type: 'boolean' },
  },
});
const replicaCount = Number(flags.replicas);
const count = Number(flags.count);
const perSecond = Number(flags.rate);
const killMode = flags.kill;
if (![replicaCount, count].every((n) => Number.isInteger(n) && n >= 1) || !(perSecond > 0) || !['term', 'kill', 'none'].includes(killMode)) {
  process.stderr.write('usage: npm run bench:replicas -- [--replicas N] [--count N] [--rate PER_SECOND] [--kill term|kill|none] [--json]\n');
  process.exit(2);
}

const TOKEN = 'bench.replicas.token';
const SITE_CONF = 'deploy/nginx/story-qa-bot.conf';

/** nginx's binary, installing Debian's nginx-light first when it is missing and that is possible here. */
function findNginx(): string | undefined {
  const known = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].find((path) => existsSync(path));
  if (known !== undefined || process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return known;
  process.stderr.write('nginx is missing; installing Debian’s nginx-light…\n');
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', 'nginx-light'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    return undefined;
  }
  return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : undefined;
}

/** Linux's clock ticks per second, in which /proc reports CPU time. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) one process has used so far; undefined once it is gone. */
async function processCpuSeconds(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds used so far by the processes whose command line starts with `prefix`. */
async function cpuSecondsOf(prefix: string): Promise<number> {
  let total = 0;
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const commandLine = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.startsWith(prefix)) total += (await processCpuSeconds(Number(name))) ?? 0;
  }
  return total;
}

interface Balancer {
  url: string;
  kind: string;
  /** Interactions (200s: deferrals and "busy" replies) each replica took, by its address. */
  servedBy(): Promise<Map<string, number>>;
  /** What went wrong between the balancer and the replicas, by kind (nginx's error log). */
  upstreamErrors(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** nginx with the deploy example, its upstreams and port replaced, in a main config of its own. */
async function startNginx(binary: string, dir: string, upstreams: string[]): Promise<Balancer> {
  const port = await freePort();
  const site = (await readFile(SITE_CONF, 'utf8'))
    .replace(/^(\s*)server 127\.0\.0\.1:\d+ (.*);\n(?:\s*server 127\.0\.0\.1:\d+ .*;\n)*/m, (_, indent: string, rest: string) => upstreams.map((address) => `${indent}server ${address} ${rest};\n`).join(''))
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`);
  const accessLog = join(dir, 'access.log');
  const main = [
    'daemon off;', 'worker_processes 1;', `pid ${join(dir, 'nginx.pid')};`, `error_log ${join(dir, 'error.log')} warn;`, 'user root;',
    'events { worker_connections 4096; }',
    'http {',
    "  log_format upstream '$upstream_addr $status';",
    `  access_log ${accessLog} upstream;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(dir, kind)};`),
    `  include ${join(dir, 'site.conf')};`,
    '}',
  ].join('\n');
  await writeFile(join(dir, 'site.conf'), site);
  await writeFile(join(dir, 'nginx.conf'), main);
  execFileSync(binary, ['-t', '-q', '-c', join(dir, 'nginx.conf')], { stdio: 'inherit' });
  const nginx = spawn(binary, ['-c', join(dir, 'nginx.conf')], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries += 1) {
    if ((await fetch(`${url}/healthz`).then((response) => response.ok).catch(() => false)) || tries > 100) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    kind: `nginx (${SITE_CONF})`,
    async servedBy() {
      const served = new Map<string, number>();
      for (const line of (await readFile(accessLog, 'utf8')).split('\n')) {
        const [addresses, status] = [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)];
        const last = addresses.split(',').pop()?.trim();
        if (status === '200' && last) served.set(last, (served.get(last) ?? 0) + 1);
      }
      return served;
    },
    async upstreamErrors() {
      const errors: Record<string, number> = {};
      const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
      for (const match of log.matchAll(/\[(?:error|warn)\] [^:]*: \*\d+ ([a-z() ]+?)(?: while|,|\()/g)) {
        const kind = match[1]?.trim() ?? 'other';
        errors[kind] = (errors[kind] ?? 0) + 1;
      }
      return errors;
    },
    async stop() {
      nginx.kill('SIGQUIT');
      await new Promise((resolve) => nginx.once('exit', resolve));
    },
  };
}

/** Where nginx cannot be had: round robin, passing over a replica that refuses or answers 503, as the nginx example does. */
async function startRoundRobin(upstreams: string[]): Promise<Balancer> {
  const served = new Map<string, number>();
  let next = 0;
  const forward = (body: Buffer, incoming: IncomingMessage, outgoing: ServerResponse, tries: number): void => {
    const address = upstreams[next++ % upstreams.length] ?? '';
    const [host, port] = address.split(':');
    const retry = (): void => (tries + 1 < upstreams.length ? forward(body, incoming, outgoing, tries + 1) : void outgoing.writeHead(502).end());
    const proxied = httpRequest({ host, port: Number(port), method: incoming.method, path: incoming.url, headers: incoming.headers }, (response) => {
      if (response.statusCode === 503) {
        response.resume();
        retry();
        return;
      }
      if (response.statusCode === 200) served.set(address, (served.get(address) ?? 0) + 1);
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(outgoing);
    });
    proxied.on('error', retry);
    proxied.end(body);
  };
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => forward(Buffer.concat(chunks), incoming, outgoing, 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    kind: 'node round-robin (nginx is not installed here and could not be installed)',
    servedBy: async () => served,
    upstreamErrors: async () => ({}),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

process.stderr.write(`compiling, then PostgreSQL, ${replicaCount} replicas and a balancer, then ${count} /ask at ${perSecond}/s (one replica stopped halfway: ${killMode})…\n`);
await buildForStart();
const scratch = await makeTempDir('bench-replicas');
await cp('corpus', join(scratch, 'corpus'), { recursive: true });
const postgres = await startThrowawayPostgres();
const fake = await startFakeDiscord({ token: TOKEN });
const replicas: { address: string; running: Running }[] = [];
let balancer: Balancer | undefined;
try {
  const databaseUrl = await postgres.createDatabase('bench');
  const ports = await Promise.all(Array.from({ length: replicaCount }, () => freePort()));
  const started = performance.now();
  for (const [k, port] of ports.entries()) {
    const env = {
      DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_PUBLIC_KEY: fake.publicKey, DATABASE_URL: databaseUrl,
      HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', CORPUS_DIR: join(scratch, 'corpus'), INDEX_DIR: join(scratch, `replica-${k}`, 'index'),
      DATA_DIR: join(scratch, `replica-${k}`, 'data'), MODEL_CACHE_DIR: '.cache/models', LOG_LEVEL: 'warn', ASK_COOLDOWN_SECONDS: '0',
      // Several replicas share these cores (deploy/systemd sets the same).
      MODEL_THREADS: '1',
    };
    replicas.push({ address: `127.0.0.1:${port}`, running: startNodeProcess(['dist/discord/http/main.js'], env) });
  }
  await Promise.all(replicas.map(async ({ address }) => {
    for (;;) {
      if (await fetch(`http://${address}/readyz`).then((response) => response.ok).catch(() => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }));
  const readySeconds = (performance.now() - started) / 1000;
  const nginx = findNginx();
  const balancerDir = join(scratch, 'balancer');
  await mkdir(balancerDir, { recursive: true });
  balancer = nginx === undefined ? await startRoundRobin(replicas.map((replica) => replica.address)) : await startNginx(nginx, balancerDir, replicas.map((replica) => replica.address));
  fake.deliverTo(`${balancer.url}/interactions`);

  // Resident memory and CPU time, sampled while the load runs: the peak is what a host must hold, and a
  // stopped replica's CPU time leaves /proc with it, so its last sample stands.
  const peakRss = new Map<string, number>();
  const replicaCpu = new Map<string, number>();
  const sample = async (): Promise<void> => {
    for (const { address, running } of replicas) {
      const { pid } = running.child;
      if (pid === undefined || running.child.exitCode !== null) continue;
      // An exiting process has no VmRSS (NaN) nor stat: keep the last real figures.
      const [mb, cpu] = await Promise.all([residentMb(pid).catch(() => Number.NaN), processCpuSeconds(pid)]);
      if (Number.isFinite(mb)) peakRss.set(address, Math.max(peakRss.get(address) ?? 0, mb));
      if (cpu !== undefined) replicaCpu.set(address, cpu);
    }
  };
  await sample();
  const sampler = setInterval(() => void sample(), 250);
  const victim = replicas[replicas.length - 1];
  const killAt = killMode === 'none' || victim === undefined ? undefined : setTimeout(() => victim.running.child.kill(killMode === 'kill' ? 'SIGKILL' : 'SIGTERM'), (count / perSecond / 2) * 1000);
  const cpuOf = {
    replicas: async () => {
      await sample();
      return [...replicaCpu.values()].reduce((sum, seconds) => sum + seconds, 0);
    },
    postgres: () => cpuSecondsOf('postgres'),
    balancer: () => cpuSecondsOf('nginx'),
    loadAndFake: async () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1e6;
    },
  };
  const cpuBefore = { replicas: await cpuOf.replicas(), postgres: await cpuOf.postgres(), balancer: await cpuOf.balancer(), loadAndFake: await cpuOf.loadAndFake() };
  const ask = (question: string, user?: { id: string; username?: string }) =>
    fake.sendCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: question }], ...(user ? { user } : {}) });
  const load = await runAskLoad({ fake, ask }, { count, perSecond });
  clearTimeout(killAt);
  clearInterval(sampler);
  const cpuMsPerAnswer = Object.fromEntries(
    await Promise.all((Object.keys(cpuOf) as (keyof typeof cpuOf)[]).map(async (part) => [part, round((((await cpuOf[part]()) - cpuBefore[part]) * 1000) / Math.max(1, load.answered), 2)] as const)),
  );
  const served = await balancer.servedBy();
  const upstreamErrors = await balancer.upstreamErrors();
  const droppedLate = replicas.reduce((sum, { running }) => sum + [...running.output().matchAll(/"dropped":(\d+)/g)].reduce((total, match) => total + Number(match[1]), 0), 0);
  const loadSeconds = count / perSecond;
  const perReplica = replicas.map(({ address, running }) => ({
    address,
    interactions: served.get(address) ?? 0,
    interactionsPerSecond: round((served.get(address) ?? 0) / loadSeconds, 1),
    peakRssMb: round(peakRss.get(address) ?? Number.NaN, 0),
    stopped: running === victim?.running && killMode !== 'none',
  }));
  const figures = {
    balancer: balancer.kind,
    replicas: replicaCount,
    cores: cpus().length,
    readySeconds: round(readySeconds, 2),
    stoppedHalfway: killMode === 'none' ? 'none' : killMode === 'kill' ? 'SIGKILL' : 'SIGTERM',
    sent: count,
    sentPerSecond: round(load.sentPerSecond, 1),
    answered: load.answered,
    turnedAway: load.turnedAway,
    lost: load.unanswered,
    lateDeferrals: load.lateDeferrals,
    answersPerSecond: round(load.answeredPerSecond, 1),
    deferralMs: load.deferralMs,
    answerMs: load.answerMs,
    upstreamErrors,
    droppedLate,
    cpuMsPerAnswer,
    perReplica,
  };
  if (flags.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else {
    process.stdout.write(
      [
        `balancer:    ${figures.balancer}`,
        `replicas:    ${replicaCount} ready ${figures.readySeconds} s after start (${figures.cores} cores shared with PostgreSQL, the balancer, the fake Discord and this load)`,
        `sent:        ${count} signed /ask at ${figures.sentPerSecond}/s; replica ${victim?.address ?? '-'} stopped halfway (${figures.stoppedHalfway})`,
        `answered:    ${load.answered}/${count} (${load.turnedAway} told the bot is busy, ${load.unanswered} lost) at ${figures.answersPerSecond}/s`,
        `deferral:    p50 ${load.deferralMs.p50} ms, p99 ${load.deferralMs.p99} ms, max ${load.deferralMs.max} ms; ${load.lateDeferrals} later than 3 s`,
        `answer:      p50 ${load.answerMs.p50} ms, p99 ${load.answerMs.p99} ms, max ${load.answerMs.max} ms`,
        `cpu:         ms per answer: ${Object.entries(cpuMsPerAnswer).map(([part, ms]) => `${part} ${ms}`).join(', ')}`,
        `trouble:     ${droppedLate} dropped by replicas as read after 3 s; balancer→replica errors ${JSON.stringify(upstreamErrors)}`,
        ...perReplica.map((replica) => `  ${replica.address}: ${replica.interactions} interactions taken (${replica.interactionsPerSecond}/s), peak ${replica.peakRssMb} MB resident${replica.stopped ? ', stopped halfway' : ''}`),
        '',
      ].join('\n'),
    );
  }
} finally {
  fake.deliverTo(undefined);
  await balancer?.stop();
  for (const { running } of replicas) running.child.kill('SIGKILL');
  await Promise.all(replicas.map(({ running }) => running.exited));
  await fake.stop();
  await postgres.stop();
  await rm(scratch, { recursive: true, force: true });
}
