/** @module command: the shape of a CLI subcommand, one file each, like the bot's slash commands. */
import type { ParseArgsConfig } from 'node:util';
import type { App, ChangeProgress, StoryApp } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Story } from '../stories/story.js';

export interface CliContext {
  config: Config;
  logger: Logger;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The story `--story <owner>/<name>` names; the operator's story without it. */
  story: Story;
  /** Opens the app (the model and the stories, no index yet) and closes it when `work` is done; `refresh` as for withStory. */
  withApp<T>(options: { refresh?: boolean; history?: boolean }, work: (app: App) => Promise<T>): Promise<T>;
  /**
   * Opens the app and the story, building its index first when it is missing or damaged (with
   * progress on stderr), and, unless `refresh` is false, when the corpus changed since it was built.
   */
  withStory<T>(options: { refresh?: boolean; history?: boolean }, work: (story: StoryApp) => Promise<T>): Promise<T>;
  /** Reports build (and fetch) progress on stderr. */
  progress(progress: ChangeProgress): void;
}

export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the exit status. */
  run(context: CliContext, values: ParsedValues, positionals: string[]): Promise<number>;
}
