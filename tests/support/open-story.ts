/** @module open-story: the operator's story of a fresh app, closed together with its app: what engine tests need. */
import { type AppOptions, type StoryApp, createApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';

export async function openOperatorStory(config: Config, options: AppOptions): Promise<StoryApp> {
  const app = await createApp(config, options);
  let story: StoryApp;
  try {
    story = await app.operatorStory();
  } catch (error) {
    await app.close();
    throw error;
  }
  // Everything is the story's own, read on the story itself (getters included); close() closes the whole app.
  return new Proxy(story, {
    get(target, property) {
      if (property === 'close') return () => app.close();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
