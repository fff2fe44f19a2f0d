/** @module cold-start: process start → bot ready to answer, with an existing index, against the fake Discord. */
import { spawn } from 'node:child_process';
import { startFakeDiscord } from '../../tests/support/fake-discord.js';

export interface ColdStart {
  /** Process start → "ready to answer" logged (logged in, index and model loaded). */
  readySeconds: number;
  /** Process start → the first answer's edit received by Discord. */
  firstAnswerSeconds: number;
}

export async function measureColdStart(env: Record<string, string>): Promise<ColdStart> {
  const fake = await startFakeDiscord();
  try {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/discord/main.ts'], {
      env: { ...process.env, ...env, DISCORD_TOKEN: 'bench.token.value', DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'info' },
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
    const interaction = fake.sendCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: 'what did Putin demand' }] });
    await interaction.waitForReply((request) => request.method === 'PATCH', 30_000);
    const firstAnswerSeconds = (performance.now() - started) / 1000;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    return { readySeconds, firstAnswerSeconds };
  } finally {
    await fake.stop();
  }
}
