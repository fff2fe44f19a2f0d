/**
 * @module cold-start: the bot as `npm start` runs it (compiled JavaScript), against the fake
 * Discord, with an existing index: time to ready, time to the first answer, resident memory.
 */
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startFakeDiscord } from '../../tests/support/fake-discord.js';

export interface ColdStart {
  /** Process start → "ready to answer" logged (logged in, index and model loaded). */
  readySeconds: number;
  /** Process start → the first answer's edit received by Discord. */
  firstAnswerSeconds: number;
  /** Resident memory after answering a few questions. */
  rssMb: number;
}

/** Compiles the sources as `npm start` does (its prestart step). */
export async function buildForStart(): Promise<void> {
  await promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
}

export async function residentMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

export async function measureColdStart(env: Record<string, string>): Promise<ColdStart> {
  const fake = await startFakeDiscord();
  try {
    const started = performance.now();
    const child = spawn(process.execPath, ['dist/discord/main.js'], {
      env: { ...process.env, ...env, DISCORD_TOKEN: 'bench.token.value', DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'info', ASK_COOLDOWN_SECONDS: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('ready to answer')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the bot exited with ${code}:\n${log}`)));
    });
    const readySeconds = (performance.now() - started) / 1000;
    let firstAnswerSeconds = 0;
    for (const question of ['what did Putin demand', 'Who is the Senate Majority Leader?', 'When was the meeting?']) {
      const interaction = fake.sendCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: question }] });
      await interaction.waitForReply((request) => request.method === 'PATCH', 30_000);
      firstAnswerSeconds ||= (performance.now() - started) / 1000;
    }
    const rssMb = child.pid === undefined ? Number.NaN : await residentMb(child.pid);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    return { readySeconds, firstAnswerSeconds, rssMb };
  } finally {
    await fake.stop();
  }
}
