/**
 * Questions during a reindex: all answered, each wholly from the old index or wholly from the new
 * one; two /reindex at once build once.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPHEMERAL, type Harness, MANAGE_GUILD, callbackOf, isCallback, isEdit, messageOf, startHarness } from '../support/bot-harness.js';

const SEED = '000_224c5ab2ccd913b3.txt';
const OLD_TITLE = 'A deal on Syria’s chemical weapons is far from done.';
const NEW_TITLE = 'The chemical weapons deal, revised';
const QUESTIONS = ['what did Putin demand', 'Who is the Senate Majority Leader?', 'What did Kerry say?', 'Who wrote Hamlet?'];
const ASKS = 200;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(() => harness?.stop());

/** Every article title an answer shows: cited passages' headings, or the list in a "not covered" reply. */
function titlesShown(body: ReturnType<typeof messageOf>): string[] {
  const [embed] = body.embeds ?? [];
  const cited = (embed?.fields ?? []).map((field) => field.name.replace(/^\d+\. /, ''));
  const listed = (embed?.description ?? '').split('\n').filter((line) => line.startsWith('• ')).map((line) => line.slice(2));
  return [...cited, ...listed];
}

describe('concurrency', () => {
  it(`answers ${ASKS} questions asked during a reindex, each from one index, and runs two simultaneous reindexes once`, async () => {
    const { corpusDir, fake, logs } = harness;
    // The new corpus renames the seed article (so every passage tells which index it came from) and adds one to embed.
    const body = await readFile(join(corpusDir, SEED), 'utf8');
    await rm(join(corpusDir, SEED));
    await writeFile(join(corpusDir, 'syria-deal.md'), `---\ntitle: ${NEW_TITLE}\n---\n\n${body}`);
    const paragraphs = Array.from({ length: 60 }, (_, k) => `Inspectors visited site number ${k + 1} on day ${k + 2} and found nothing to report there.`);
    await writeFile(join(corpusDir, 'inspections.md'), `---\ntitle: Inspections\n---\n\n${paragraphs.join('\n\n')}\n`);
    const buildsBefore = logs.find('index built').length;

    const first = fake.sendCommand({ name: 'reindex', memberPermissions: MANAGE_GUILD });
    const second = fake.sendCommand({ name: 'reindex', memberPermissions: MANAGE_GUILD });
    expect(callbackOf(await first.waitForReply(isCallback))).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect((await harness.operator()).reindexing).toBe(true);
    const asks = [];
    for (let k = 0; k < ASKS; k += 1) {
      // One question each from 200 members, paced over about a second, so the cooldown does not apply.
      asks.push(harness.ask(QUESTIONS[k % QUESTIONS.length] ?? '', { id: String(410_000_000_000_000_000n + BigInt(k)), username: `member${k}` }));
      if (k % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 50));
    }

    expect(callbackOf(await second.waitForReply(isCallback))).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringContaining('already running') } });
    const summary = await first.waitForReply((r) => isEdit(r) && (messageOf(r).content ?? '').startsWith('Reindex finished'), 30_000);
    expect(messageOf(summary).content).toContain('Articles: 2');

    const from = { old: 0, new: 0 };
    for (const interaction of asks) {
      const answer = messageOf(await interaction.waitForReply(isEdit, 30_000));
      const titles = titlesShown(answer);
      expect(titles.length, JSON.stringify(answer)).toBeGreaterThan(0);
      const old = titles.every((title) => title === OLD_TITLE);
      const fresh = titles.every((title) => title === NEW_TITLE || title === 'Inspections');
      expect(old || fresh, `mixes two indexes: ${titles.join(' | ')}`).toBe(true);
      from[old ? 'old' : 'new'] += 1;
    }
    expect(from.old + from.new).toBe(ASKS);
    expect(from.old).toBeGreaterThan(0); // questions really were answered while the rebuild ran
    expect(logs.find('index built').length - buildsBefore).toBe(1);
    console.info(`answers during the reindex: ${from.old} from the old index, ${from.new} from the new one`);
  });
});
