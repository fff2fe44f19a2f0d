/**
 * @module story-replica: a server story's files on this host as a copy of its latest snapshot in
 * PostgreSQL (storage/story-snapshots.ts). A replica catches a story up before it loads it, before it
 * changes it (under the story's lock, so it builds on the latest articles), and when told that
 * another replica published one; after a change it publishes the story's corpus and live build as
 * the next snapshot. `SNAPSHOT` in the index folder names the snapshot the files match.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { liveBuildFiles, placeBuild } from '../index/index-store.js';
import type { Logger } from '../logger.js';
import type { SnapshotFile, SnapshotHead, StorySnapshots } from '../storage/story-snapshots.js';
import type { Story } from './story.js';

const MARKER = 'SNAPSHOT';
const CORPUS = 'corpus/';
const INDEX = 'index/';

/** The articles of a corpus folder (hidden files such as `.removed/` stay on the host that made them). */
async function corpusFiles(corpusDir: string): Promise<string[]> {
  const entries = await readdir(corpusDir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && !entry.name.startsWith('.')).map((entry) => entry.name).sort();
}

async function readMarker(indexDir: string): Promise<number | undefined> {
  const text = await readFile(join(indexDir, MARKER), 'utf8').catch(() => undefined);
  return text === undefined || !/^\d+$/.test(text.trim()) ? undefined : Number(text.trim());
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

export class StoryReplica {
  /** One catch-up or publish of a story at a time in this process. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly snapshots: StorySnapshots,
    private readonly logger: Logger,
  ) {}

  private serially<T>(story: Story, work: () => Promise<T>): Promise<T> {
    const before = this.queues.get(story.id) ?? Promise.resolve();
    const running = before.catch(() => undefined).then(work);
    const settled = running.catch(() => undefined);
    this.queues.set(story.id, settled);
    void settled.then(() => {
      if (this.queues.get(story.id) === settled) this.queues.delete(story.id);
    });
    return running;
  }

  /** Each story's head (what `/story list` counts); a story without articles yet has none. */
  heads(stories: readonly Story[]): Promise<Map<string, SnapshotHead>> {
    return this.snapshots.heads(stories.map((story) => story.id));
  }

  /** Brings the story's files on this host to its latest snapshot; says whether anything changed. */
  catchUp(story: Story): Promise<boolean> {
    return this.serially(story, async () => {
      for (;;) {
        const head = await this.snapshots.head(story.id);
        const local = await readMarker(story.indexDir);
        if (head?.id === local && local !== undefined) return false;
        if (head === undefined) {
          // No snapshot yet: no articles. Anything here is left from a failed publish or an earlier story of that name.
          if (local === undefined && (await corpusFiles(story.corpusDir)).length === 0) {
            // A story made on another replica has no folder here yet; a change made here needs one.
            await mkdir(story.corpusDir, { recursive: true });
            return false;
          }
          await rm(story.indexDir, { recursive: true, force: true });
          await rm(story.corpusDir, { recursive: true, force: true });
          await mkdir(story.corpusDir, { recursive: true });
          return true;
        }
        const files = await this.snapshots.files(head.id);
        // Dropped between the two reads: a newer one is the head now.
        if (files === undefined) continue;
        await this.place(story, head, files);
        this.logger.info({ story: story.id, snapshot: head.id, build: head.buildId, from: local }, 'caught up with the story’s latest snapshot');
        return true;
      }
    });
  }

  private async place(story: Story, head: SnapshotHead, files: readonly SnapshotFile[]): Promise<void> {
    const articles = files.filter((file) => file.path.startsWith(CORPUS)).map((file) => ({ name: file.path.slice(CORPUS.length), data: file.data }));
    const build = files.filter((file) => file.path.startsWith(INDEX)).map((file) => ({ name: file.path.slice(INDEX.length), data: file.data }));
    await mkdir(story.corpusDir, { recursive: true });
    // The marker goes first: files half placed are never taken for a snapshot.
    await rm(join(story.indexDir, MARKER), { force: true });
    const keep = new Set(articles.map((article) => article.name));
    for (const article of articles) {
      const path = join(story.corpusDir, article.name);
      const current = await readFile(path).catch(() => undefined);
      if (current === undefined || !current.equals(article.data)) await writeAtomically(path, article.data);
    }
    for (const name of await corpusFiles(story.corpusDir)) if (!keep.has(name)) await rm(join(story.corpusDir, name), { force: true });
    await placeBuild(story.indexDir, head.buildId, build);
    await writeAtomically(join(story.indexDir, MARKER), String(head.id));
  }

  /** A change begins (under the story's lock): until it publishes, the files here match no snapshot, so a crash or failure mid-change is undone by the next catch-up. */
  async changing(story: Story): Promise<void> {
    await rm(join(story.indexDir, MARKER), { force: true });
  }

  /**
   * Publishes the story's corpus and live build as its next snapshot (called under the story's
   * lock, after a build): a no-op when the head already is that build. If publishing fails, the
   * files here no longer match any snapshot, and the next catch-up puts the head back.
   */
  publish(story: Story, counts: { articles: number; passages: number }): Promise<void> {
    return this.serially(story, async () => {
      const build = await liveBuildFiles(story.indexDir);
      if (build === undefined) return;
      const head = await this.snapshots.head(story.id);
      if (head?.buildId === build.buildId) {
        await writeAtomically(join(story.indexDir, MARKER), String(head.id));
        return;
      }
      const files: SnapshotFile[] = [];
      for (const name of await corpusFiles(story.corpusDir)) files.push({ path: CORPUS + name, data: await readFile(join(story.corpusDir, name)) });
      for (const file of build.files) files.push({ path: INDEX + file.name, data: await readFile(file.path) });
      const published = await this.snapshots.publish(story.id, { buildId: build.buildId, ...counts }, files);
      await writeAtomically(join(story.indexDir, MARKER), String(published.id));
      this.logger.info({ story: story.id, snapshot: published.id, build: build.buildId, files: files.length }, 'published the story’s snapshot');
    });
  }
}
