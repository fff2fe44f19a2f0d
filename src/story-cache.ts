/**
 * @module story-cache: the stories this process has loaded. A story loads on first use and is held
 * by whoever uses it (a lease, for the whole of an interaction or command); when the servers'
 * loaded indexes pass the memory budget, stories nobody holds are released, least recently used
 * first. The operator's story is never released, nor one being rebuilt.
 */
import type { Logger } from './logger.js';
import { type Story, isOperatorStory } from './stories/story.js';
import type { StoryApp } from './story-app.js';

interface Entry {
  loading: Promise<StoryApp>;
  /** Set once loaded. */
  app: StoryApp | undefined;
  /** Leases taken and not yet returned. */
  holders: number;
}

export class StoryCache {
  /** Least recently used first: a Map keeps insertion order, and a use moves the entry to the end. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly load: (story: Story) => Promise<StoryApp>,
    private readonly budgetBytes: number,
    private readonly logger: Logger,
  ) {}

  /** Runs `work` on the story, loaded if need be, which is not released before `work` has finished. */
  async use<T>(story: Story, work: (app: StoryApp) => Promise<T>): Promise<T> {
    const entry = this.take(story);
    try {
      return await work(await entry.loading);
    } finally {
      entry.holders -= 1;
      this.releaseOverBudget();
    }
  }

  private take(story: Story): Entry {
    let entry = this.entries.get(story.id);
    if (entry === undefined) {
      const loading = this.load(story);
      const created: Entry = { loading, app: undefined, holders: 0 };
      loading.then(
        (app) => (created.app = app),
        () => {
          if (this.entries.get(story.id) === created) this.entries.delete(story.id);
        },
      );
      entry = created;
    }
    this.entries.delete(story.id);
    this.entries.set(story.id, entry);
    entry.holders += 1;
    return entry;
  }

  /** The story if this process has it loaded (never loads it). */
  loaded(storyId: string): StoryApp | undefined {
    return this.entries.get(storyId)?.app;
  }

  /** Loaded stories, for /status. */
  get count(): number {
    return [...this.entries.values()].filter((entry) => entry.app !== undefined).length;
  }

  /** Memory the servers' loaded indexes hold: what the budget is for (the operator's index is loaded regardless). */
  get serverStoryBytes(): number {
    let bytes = 0;
    for (const { app } of this.entries.values()) if (app !== undefined && !isOperatorStory(app.story)) bytes += app.memoryBytes;
    return bytes;
  }

  private releaseOverBudget(): void {
    let total = this.serverStoryBytes;
    for (const [id, entry] of this.entries) {
      if (total <= this.budgetBytes) return;
      const { app } = entry;
      if (app === undefined || entry.holders > 0 || app.reindexing || isOperatorStory(app.story)) continue;
      total -= app.memoryBytes;
      this.entries.delete(id);
      this.close(id, app);
    }
  }

  /** Lets go of a story (deleted): closed once its work in flight is done, and loaded afresh if it is asked for again. */
  forget(storyId: string): void {
    const entry = this.entries.get(storyId);
    if (entry === undefined) return;
    this.entries.delete(storyId);
    entry.loading.then((app) => this.close(storyId, app), () => undefined);
  }

  private close(storyId: string, app: StoryApp): void {
    app.close().catch((error: unknown) => this.logger.warn({ err: error, story: storyId }, 'could not release a story index'));
  }

  /** Every loaded story (to catch up with other processes). */
  get loadedStories(): StoryApp[] {
    return [...this.entries.values()].flatMap((entry) => (entry.app === undefined ? [] : [entry.app]));
  }

  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(entries.map(async (entry) => (await entry.loading).close()));
  }
}
