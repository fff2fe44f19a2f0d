/** `npm start` as a process: settings checked at start, clean shutdown on SIGTERM, no token in any output. */
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from '../support/fake-discord.js';
import { type Running, startNodeProcess, waitForOutput } from '../support/node-process.js';
import { makeTempDir } from '../support/temp-dir.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-token-for-tests';

let scratch: string;
let fake: FakeDiscord;

function startProcess(env: Record<string, string>): Running {
  return startNodeProcess(['--import', 'tsx', 'src/discord/main.ts'], {
    CORPUS_DIR: join(scratch, 'corpus'), INDEX_DIR: join(scratch, 'index'), DATA_DIR: join(scratch, 'data'), MODEL_CACHE_DIR: '.cache/models', LOG_LEVEL: 'info', ...env,
  });
}

beforeAll(async () => {
  scratch = await makeTempDir('bot-process');
  await cp('corpus', join(scratch, 'corpus'), { recursive: true });
  fake = await startFakeDiscord({ token: TOKEN });
});

afterAll(async () => {
  await fake.stop();
  await rm(scratch, { recursive: true, force: true });
});

/** Asks, sends SIGTERM once the deferral is out, and checks the answer still arrives and the process exits 0 without printing the token. */
async function answersThroughSigterm(running: Running): Promise<void> {
  const interaction = fake.sendCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: 'Who is the Senate Majority Leader?' }] });
  await interaction.waitForReply((r) => r.path.endsWith('/callback'));
  running.child.kill('SIGTERM');
  const answer = await interaction.waitForReply((r) => r.method === 'PATCH');
  expect(JSON.stringify(answer.body)).toContain('Harry Reid');
  expect(await running.exited).toBe(0);
  expect(running.output()).toContain('"msg":"stopped"');
  expect(running.output()).not.toContain(TOKEN);
}

describe('npm start', () => {
  it('refuses to start without DISCORD_TOKEN, naming it and .env.example, with exit status 2', async () => {
    const running = startProcess({ DISCORD_TOKEN: '' });
    expect(await running.exited).toBe(2);
    expect(running.output()).toContain('DISCORD_TOKEN is not set. Copy .env.example to .env');
  });

  it('builds the index, logs in, answers, and on SIGTERM finishes the answer in flight before exiting 0', async () => {
    const running = startProcess({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl });
    await waitForOutput(running, 'ready to answer');
    await answersThroughSigterm(running);
  });

  it('fails to log in with a wrong token without printing it', async () => {
    const wrong = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong-token-never-print-me';
    const running = startProcess({ DISCORD_TOKEN: wrong, DISCORD_API_URL: fake.apiUrl });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain('Could not log in to Discord');
    expect(running.output()).not.toContain('wrong-token-never-print-me');
  });
});

describe('npm run start:http', () => {
  const httpProcess = (env: Record<string, string>): Running =>
    startNodeProcess(['--import', 'tsx', 'src/discord/http/main.ts'], {
      CORPUS_DIR: join(scratch, 'corpus'), INDEX_DIR: join(scratch, 'index'), DATA_DIR: join(scratch, 'data'), MODEL_CACHE_DIR: '.cache/models', LOG_LEVEL: 'info', ...env,
    });

  it('refuses to start without DISCORD_PUBLIC_KEY, naming it, with exit status 2', async () => {
    const running = httpProcess({ DISCORD_PUBLIC_KEY: '' });
    expect(await running.exited).toBe(2);
    expect(running.output()).toContain('DISCORD_PUBLIC_KEY is not set');
  });

  it('listens, turns ready, answers over HTTP, and on SIGTERM finishes the answer in flight before exiting 0', async () => {
    const running = httpProcess({ DISCORD_PUBLIC_KEY: fake.publicKey, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, HTTP_PORT: '0', HTTP_HOST: '127.0.0.1' });
    await waitForOutput(running, 'ready to answer');
    const url = /"url":"(http:\/\/[^"]+)"/.exec(running.output())?.[1] ?? '';
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    fake.deliverTo(`${url}/interactions`);
    try {
      await answersThroughSigterm(running);
    } finally {
      fake.deliverTo(undefined);
    }
  });
});
