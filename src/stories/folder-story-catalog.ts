/**
 * @module folder-story-catalog: the stories of one host, as folders under DATA_DIR/stories/<server
 * id>/<name>/: made with one mkdir (two processes cannot both create one), deleted by renaming the
 * folder out of sight first, so no reader sees half a story. Every process sharing DATA_DIR sees the
 * same stories.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type StoryCatalog, storyExists, storyGone, storyLimit } from './story-catalog.js';
import { STORIES_FOLDER, ownerFolder, serverStory } from './story.js';

export class FolderStoryCatalog implements StoryCatalog {
  constructor(private readonly dataDir: string) {}

  has(owner: string, name: string): boolean {
    return existsSync(serverStory(this.dataDir, owner, name).corpusDir);
  }

  names(owner: string): string[] {
    let names: string[];
    try {
      names = readdirSync(ownerFolder(this.dataDir, owner));
    } catch {
      return [];
    }
    return names.filter((name) => !name.startsWith('.') && this.has(owner, name)).sort();
  }

  owners(): string[] {
    try {
      return readdirSync(join(this.dataDir, STORIES_FOLDER)).filter((name) => !name.startsWith('.')).sort();
    } catch {
      return [];
    }
  }

  /** The folders are read each time: nothing to reread. */
  async refresh(): Promise<void> {}

  async add(owner: string, name: string, maxPerServer: number): Promise<void> {
    if (this.names(owner).length >= maxPerServer) throw storyLimit(maxPerServer);
    const folder = join(ownerFolder(this.dataDir, owner), name);
    await mkdir(ownerFolder(this.dataDir, owner), { recursive: true });
    try {
      await mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (this.has(owner, name)) throw storyExists(name);
      // What a deletion left behind (a question in flight recreating its index folder): no story, so clear it.
      await rm(folder, { recursive: true, force: true });
      await mkdir(folder);
    }
    await mkdir(serverStory(this.dataDir, owner, name).corpusDir);
  }

  async remove(owner: string, name: string): Promise<void> {
    const folder = join(ownerFolder(this.dataDir, owner), name);
    const trash = join(ownerFolder(this.dataDir, owner), `.deleted-${name}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(folder, trash);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw storyGone(`${owner}/${name}`);
      throw error;
    }
    await rm(trash, { recursive: true, force: true });
  }
}
