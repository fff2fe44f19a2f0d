/**
 * `/article add`, `/article remove` and `/sources` end to end: the real discord.js client against the
 * fake Discord, pages served by a local news site, the real model and index. Every refusal is
 * checked to leave the corpus folder byte for byte as it was and the live index unchanged.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { EPHEMERAL, type Harness, MANAGE_GUILD, type MessageBody, callbackOf, isCallback, isEdit, messageOf, startHarness } from '../support/bot-harness.js';
import type { CommandOption, Interaction, UploadedFile } from '../support/fake-discord.js';
import { snapshotFolder } from '../support/folder-snapshot.js';
import { type NewsSite, page, redirect, startNewsSite, status } from '../support/news-site.js';

const PAGES = 'tests/fixtures/pages';
const BAD_PAGES = 'tests/fixtures/bad-pages';
const ARTICLE_URL = 'https://news.example.org/world/2013/10/01/inspectors-arrive-damascus';
const MEMBER = { id: '400000000000000042', username: 'editor' };
const SIX_MEGABYTES = 6 * 1024 * 1024;

let harness: Harness;
let site: NewsSite;
/** A request to /held waits until the test lets it through (answering 404), or until the fetch times out. */
let releaseHeld: () => void = () => undefined;
let heldRequested: () => void = () => undefined;
const held = new Promise<void>((resolve) => (heldRequested = resolve));
/**
 * Long enough that the second /article add below is always handled while the first still waits
 * (handling it takes milliseconds); the timeout test waits this long.
 */
const FETCH_TIMEOUT_SECONDS = 8;
const expected = JSON.parse(await readFile(join(PAGES, 'e2e-news-page.expected.json'), 'utf8')) as { title: string; paragraphs: string[] };

beforeAll(async () => {
  const html = async (file: string): Promise<Buffer> => readFile(file);
  site = await startNewsSite({
    '/world/inspectors-arrive.html': page(await html(join(PAGES, 'e2e-news-page.html'))),
    '/moved': redirect('/world/inspectors-arrive.html', 301),
    '/login-wall.html': page(await html(join(BAD_PAGES, 'login-wall.html'))),
    '/search': page(await html(join(BAD_PAGES, 'search-results.html'))),
    '/empty.html': page(await html(join(BAD_PAGES, 'empty-body.html'))),
    '/photo.png': page(Buffer.from('89504e470d0a1a0a', 'hex'), 'image/png'),
    '/report.pdf': page(Buffer.from('%PDF-1.4\n%âãÏÓ\n'), 'application/pdf'),
    '/server-error': status(500),
    '/odd-encoding.html': page(await html(join(PAGES, 'e2e-news-page.html')), 'text/html; charset=x-klingon'),
    '/huge.html': (_request, response) => response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(SIX_MEGABYTES) }).end(),
    // A small gzip body that expands past the size limit: the limit applies to what is decoded.
    '/gzip-bomb.html': (_request, response) => response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(SIX_MEGABYTES, 'a'))),
    '/never': () => undefined, // accepts the connection and never answers
    '/to-loopback': redirect('http://127.0.0.1:1/admin'),
    '/held': (_request, response) => {
      releaseHeld = () => response.writeHead(404).end();
      heldRequested();
    },
  });
  harness = await startHarness({ env: { FETCH_ALLOWED_HOSTS: site.host, FETCH_TIMEOUT_SECONDS: String(FETCH_TIMEOUT_SECONDS), ASK_COOLDOWN_SECONDS: '0' } });
});

afterAll(async () => {
  await harness?.stop();
  await site?.stop();
});

function addOption(option: CommandOption): CommandOption[] {
  return [{ name: 'add', type: 1, options: [option] }];
}

function addLink(link: string, permissions = MANAGE_GUILD): Interaction {
  return harness.fake.sendCommand({ name: 'article', options: addOption({ name: 'url', type: 3, value: link }), memberPermissions: permissions, user: MEMBER });
}

function addUpload(file: UploadedFile): Interaction {
  const id = '900000000000000001';
  return harness.fake.sendCommand({
    name: 'article',
    options: addOption({ name: 'file', type: 11, value: id }),
    attachments: { [id]: file },
    memberPermissions: MANAGE_GUILD,
    user: MEMBER,
  });
}

/** The last word of a private reply: a refusal before deferring, or the edit after the progress edits ("…"). */
async function outcome(interaction: Interaction): Promise<MessageBody> {
  const first = await interaction.waitForReply(isCallback, 10_000);
  const callback = callbackOf(first);
  expect(callback.data?.flags).toBe(EPHEMERAL);
  if (callback.type === 4) return callback.data ?? {};
  const final = await interaction.waitForReply((r) => isEdit(r) && ((messageOf(r).embeds ?? []).length > 0 || !(messageOf(r).content ?? '').endsWith('…')), 30_000);
  return messageOf(final);
}

async function unchangedBy(run: () => Promise<MessageBody>): Promise<MessageBody> {
  const before = await snapshotFolder(harness.corpusDir);
  const buildId = (await harness.operator()).sources().buildId;
  const reply = await run();
  expect(await snapshotFolder(harness.corpusDir)).toEqual(before);
  expect((await harness.operator()).sources().buildId).toBe(buildId);
  return reply;
}

describe('/article add with a link', () => {
  it('extracts exactly the six article paragraphs from a cluttered news page, embeds only them, and shows what was added', async () => {
    const reply = await outcome(addLink(site.url('/moved')));
    const [embed] = reply.embeds ?? [];
    expect(embed).toMatchObject({ title: `Added: ${expected.title}`, url: ARTICLE_URL });
    expect(embed?.description).toMatch(/; 6 passages embedded, 13 reused/);
    expect(embed?.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Site', value: 'The World Examiner' }),
        expect.objectContaining({ name: 'Published', value: '2013-10-01' }),
        expect.objectContaining({ name: 'Paragraphs', value: '6 (6 passages)' }),
        expect.objectContaining({ name: 'First paragraph', value: expect.stringContaining('DAMASCUS — The first team of international chemical weapons inspectors') }),
      ]),
    );
    const { articles } = await loadCorpus(harness.corpusDir);
    const added = articles.find((article) => article.url === ARTICLE_URL);
    expect(added?.paragraphs).toEqual(expected.paragraphs);
    expect((await harness.operator()).sources().articles.find((article) => article.url === ARTICLE_URL)?.passageCount).toBe(6);
  });

  it('records where it came from and who added it, without the member id in clear', async () => {
    const files = await readdir(harness.corpusDir);
    expect(files).toContain('first-chemical-weapons-inspectors-arrive-in-damascus.md');
    const text = await readFile(join(harness.corpusDir, 'first-chemical-weapons-inspectors-arrive-in-damascus.md'), 'utf8');
    expect(text).toMatch(/^---\ntitle: First chemical weapons inspectors arrive in Damascus\nurl: https:\/\/news\.example\.org\/world\/2013\/10\/01\/inspectors-arrive-damascus\npublished: 2013-10-01\nsource: The World Examiner\nbyline: By Leila Haddad and Martin Crowe\nadded_by: hmac-sha256:[0-9a-f]{32}\nadded_by_name: editor\nadded_at: \d{4}-\d\d-\d\dT/);
    expect(text).not.toContain(MEMBER.id);
  });

  it('answers a question about the new article by quoting it, with its link', async () => {
    const interaction = harness.ask('How many inspectors crossed into Syria from Lebanon?');
    const answer = messageOf(await interaction.waitForReply(isEdit, 20_000));
    const [first] = answer.embeds?.[0]?.fields ?? [];
    expect(first?.name).toBe(`1. ${expected.title}`);
    expect(first?.value).toContain('19 inspectors from the Organisation for the Prohibition of Chemical Weapons and 14 United Nations staff members');
    // The link lands on the quoted sentence (a text fragment, long sentences by their first and last words).
    expect(first?.value).toContain(`[open article](${ARTICLE_URL}#:~:text=The%20advance%20team%20of%2019,escorted%20by%20Syrian%20security%20forces.)`);
  });

  it('says so when the same article is added again, by any of its links', async () => {
    for (const link of [ARTICLE_URL, site.url('/world/inspectors-arrive.html')]) {
      const reply = await unchangedBy(() => outcome(addLink(link)));
      expect(reply.content).toBe('That article is already in the story: first-chemical-weapons-inspectors-arrive-in-damascus.md ("First chemical weapons inspectors arrive in Damascus"). Nothing was added.');
    }
  });

  it('lists it in /sources with its site, date and who added it', async () => {
    const interaction = harness.fake.sendCommand({ name: 'sources' });
    const reply = callbackOf(await interaction.waitForReply(isCallback));
    expect(reply.data?.embeds?.[0]?.description).toContain(`[${expected.title}](${ARTICLE_URL}) · The World Examiner · 2013-10-01 · 6 passages · added ${new Date().toISOString().slice(0, 10)} by editor`);
  });
});

describe('/article add with a file', () => {
  it("adds an uploaded page fetched from Discord's CDN, decoded by its <meta charset> (windows-1252)", async () => {
    const reply = await outcome(addUpload({ name: 'geneva-cafe.html', contentType: 'text/html', bytes: await readFile(join(PAGES, '10-windows-1252.html')) }));
    const [embed] = reply.embeds ?? [];
    expect(embed?.title).toBe('Added: At the InterContinental, a café becomes the world’s waiting room');
    expect(embed?.fields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Paragraphs', value: '7 (7 passages)' })]));
    const { articles } = await loadCorpus(harness.corpusDir);
    const added = articles.find((article) => article.title.startsWith('At the InterContinental'));
    expect(added?.paragraphs[1]).toMatch(/^“We ran out of croissants by nine o’clock on Thursday,” said Sergueï Morozan/);
  });

  it('refuses a file type that holds no article, and a file over 5 MB before fetching it', async () => {
    const image = await unchangedBy(() => outcome(addUpload({ name: 'map.png', contentType: 'image/png', bytes: Buffer.from('89504e47', 'hex') })));
    expect(image.content).toBe('No article to add: "map.png" is not an article file (accepted: .html, .htm, .txt, .md). Nothing was added.');
    const large = await unchangedBy(() => outcome(addUpload({ name: 'dump.txt', contentType: 'text/plain', bytes: Buffer.from('x'), size: SIX_MEGABYTES })));
    expect(large.content).toBe('No article to add: the file is too large (6.0 MB; an article is at most 5.0 MB). Nothing was added.');
  });
});

describe('/article add refuses bad input with its reason, changing nothing', () => {
  const cases: [string, () => string, RegExp][] = [
    ['a login wall', () => site.url('/login-wall.html'), /^No article to add: no article text found \(the page may need a login/],
    ['a search page', () => site.url('/search'), /^No article to add: no article text found/],
    ['an empty page', () => site.url('/empty.html'), /^No article to add: no article text found/],
    ['an image', () => site.url('/photo.png'), /^No article to add: it is an image, not an article page/],
    ['a PDF', () => site.url('/report.pdf'), /^No article to add: it is a PDF, not an article page/],
    ['a 404', () => site.url('/gone'), /^Could not fetch the article: the site answered 404 Not Found: the page does not exist \(check the link\)/],
    ['a 500', () => site.url('/server-error'), /^Could not fetch the article: the site answered 500 Internal Server Error: its server failed, try again later/],
    ['a timeout', () => site.url('/never'), new RegExp(`^Could not fetch the article: the site did not send the page within ${FETCH_TIMEOUT_SECONDS} s`)],
    ['an unknown encoding', () => site.url('/odd-encoding.html'), /^No article to add: the page is in an encoding the bot cannot read \("x-klingon"\)/],
    ['a page over 5 MB', () => site.url('/huge.html'), /^Could not fetch the article: the page is too large \(6\.0 MB; the limit is 5\.0 MB\)/],
    ['a compressed page that expands past 5 MB', () => site.url('/gzip-bomb.html'), /^Could not fetch the article: the page is too large \(over 5\.0 MB\)/],
    ['not a link', () => 'the article about inspectors', /^"the article about inspectors" is not a link \(give the full address, starting with https:\/\/\)/],
  ];
  for (const [name, link, message] of cases) {
    it(name, async () => {
      const reply = await unchangedBy(() => outcome(addLink(link())));
      expect(reply.content).toMatch(message);
      expect(reply.content).toMatch(/Nothing was added\.$/);
    });
  }

  it('a second /article add while one is running', async () => {
    await unchangedBy(async () => {
      const first = addLink(site.url('/held'));
      expect(callbackOf(await first.waitForReply(isCallback)).type).toBe(5);
      await held;
      const second = await outcome(addLink(site.url('/world/inspectors-arrive.html')));
      expect(second.content).toBe('A reindex or another article change is running; try again when it finishes.');
      releaseHeld();
      return outcome(first);
    });
  });
});

describe('/article add refuses links into private networks', () => {
  const refused: [string, string][] = [
    ['http://127.0.0.1/', 'That link is refused: 127.0.0.1 is a loopback address (this machine). Nothing was added.'],
    ['http://localhost:8080/', 'That link is refused: localhost resolves to 127.0.0.1, a loopback address (this machine). Nothing was added.'],
    ['http://10.1.2.3/', 'That link is refused: 10.1.2.3 is a private network address. Nothing was added.'],
    ['http://172.16.5.4/', 'That link is refused: 172.16.5.4 is a private network address. Nothing was added.'],
    ['http://192.168.0.10/', 'That link is refused: 192.168.0.10 is a private network address. Nothing was added.'],
    ['http://169.254.169.254/latest/meta-data/', 'That link is refused: 169.254.169.254 is a link-local address (cloud metadata services live there). Nothing was added.'],
    ['http://[::1]/', 'That link is refused: ::1 is a loopback address (this machine). Nothing was added.'],
    ['http://[fc00::1]/', 'That link is refused: fc00::1 is a private network address. Nothing was added.'],
    ['http://[fe80::1]/', 'That link is refused: fe80::1 is a link-local address (cloud metadata services live there). Nothing was added.'],
    ['http://[::ffff:127.0.0.1]/', 'That link is refused: ::ffff:7f00:1 is a loopback address (this machine). Nothing was added.'],
    ['ftp://news.example.org/article.html', 'That link is refused: only http and https links can be added (this one is ftp). Nothing was added.'],
    ['https://editor:secret@news.example.org/', 'That link is refused: links with a user name or password in them are not followed. Nothing was added.'],
    ['http://93.184.216.34:8080/article', 'That link is refused: it uses port 8080; only the standard web ports (80, 443) are allowed unless the host is listed in FETCH_ALLOWED_HOSTS. Nothing was added.'],
  ];
  for (const [link, message] of refused) {
    it(link, async () => {
      const reply = await unchangedBy(() => outcome(addLink(link)));
      expect(reply.content).toBe(message);
    });
  }

  it('a redirect from an allowed host to 127.0.0.1', async () => {
    const reply = await unchangedBy(() => outcome(addLink(site.url('/to-loopback'))));
    expect(reply.content).toBe('That link is refused: 127.0.0.1 is a loopback address (this machine). Nothing was added.');
    expect(site.requested.at(-1)).toBe('/to-loopback');
  });
});

describe('/article remove', () => {
  const file = 'first-chemical-weapons-inspectors-arrive-in-damascus.md';

  it('suggests indexed articles by title as the member types', async () => {
    const options = [{ name: 'remove', type: 1, options: [{ name: 'name', type: 3, value: 'inspectors', focused: true }] }];
    const interaction = harness.fake.sendAutocomplete({ name: 'article', options, memberPermissions: MANAGE_GUILD });
    const response = (await interaction.waitForReply(isCallback)).body as { type: number; data: { choices: { name: string; value: string }[] } };
    expect(response).toEqual({ type: 8, data: { choices: [{ name: expected.title, value: file }] } });
  });

  it('asks first, and keeps the article when cancelled', async () => {
    const ask = harness.fake.sendCommand({ name: 'article', options: [{ name: 'remove', type: 1, options: [{ name: 'name', type: 3, value: file }] }], memberPermissions: MANAGE_GUILD });
    const question = callbackOf(await ask.waitForReply(isCallback));
    expect(question.data?.content).toContain(`Remove **${expected.title}** (\`${file}\`, 6 passages) from the story?`);
    const cancel = question.data?.components?.[0]?.components.find((button) => button.label === 'Cancel');
    const press = harness.fake.sendButton({ customId: cancel?.custom_id ?? '', messageId: String(ask.original()?.id), memberPermissions: MANAGE_GUILD });
    expect(callbackOf(await press.waitForReply(isCallback))).toMatchObject({ type: 7, data: { content: `Kept **${expected.title}**; nothing was removed.`, components: [] } });
    expect(await readdir(harness.corpusDir)).toContain(file);
  });

  it('moves the file to corpus/.removed and reindexes when confirmed', async () => {
    const ask = harness.fake.sendCommand({ name: 'article', options: [{ name: 'remove', type: 1, options: [{ name: 'name', type: 3, value: file }] }], memberPermissions: MANAGE_GUILD });
    const question = callbackOf(await ask.waitForReply(isCallback));
    const confirm = question.data?.components?.[0]?.components.find((button) => button.label === 'Remove');
    const press = harness.fake.sendButton({ customId: confirm?.custom_id ?? '', messageId: String(ask.original()?.id), memberPermissions: MANAGE_GUILD });
    expect(callbackOf(await press.waitForReply(isCallback)).type).toBe(7);
    const done = await press.waitForReply((r) => isEdit(r) && (messageOf(r).content ?? '').startsWith('Removed'), 30_000);
    expect(messageOf(done).content).toContain(`Removed **${expected.title}**; the file is kept as \`corpus/.removed/${file}\`.`);
    expect(await readdir(harness.corpusDir)).not.toContain(file);
    expect(await readdir(join(harness.corpusDir, '.removed'))).toEqual([file]);
    expect((await harness.operator()).sources().articles.map((article) => article.file)).not.toContain(file);
  });
});

describe('/article for members who cannot manage the server', () => {
  it('refuses the command, offers no suggestions, and refuses the confirmation button', async () => {
    const reply = await unchangedBy(() => outcome(addLink(site.url('/world/inspectors-arrive.html'), '0')));
    expect(reply.content).toBe('Only members who can manage this server may run /article.');
    const options = [{ name: 'remove', type: 1, options: [{ name: 'name', type: 3, value: '', focused: true }] }];
    const suggestions = harness.fake.sendAutocomplete({ name: 'article', options, memberPermissions: '0' });
    expect((await suggestions.waitForReply(isCallback)).body).toEqual({ type: 8, data: { choices: [] } });
    const press = harness.fake.sendButton({ customId: 'article:confirm:anything', memberPermissions: '0' });
    expect(callbackOf(await press.waitForReply(isCallback))).toMatchObject({ type: 4, data: { content: 'Only members who can manage this server may run /article.', flags: EPHEMERAL } });
  });
});
