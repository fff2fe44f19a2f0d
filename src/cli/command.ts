/** @module command: the shape of a CLI subcommand, one file each, like the bot's slash commands. */
import type { ParseArgsConfig } from 'node:util';
import type { App, ChangeProgress } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

export interface CliContext {
  config: Config;
  logger: Logger;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /**
   * Opens the app, building the index first when it is missing or damaged (with progress on
   * stderr), and, unless `refresh` is false, when the corpus changed since it was built.
   */
  openApp(options?: { refresh?: boolean; history?: boolean }): Promise<App>;
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
