/** @module main: the command-line entry point: reads the environment, parses argv, runs one subcommand. */
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { type App, createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { operatorStory, storyOfId } from '../stories/story.js';
import type { CliCommand, CliContext } from './command.js';
import { article } from './commands/article.js';
import { ask } from './commands/ask.js';
import { evaluate } from './commands/eval.js';
import { gaps } from './commands/gaps.js';
import { reindex } from './commands/reindex.js';
import { story as storyCommand } from './commands/story.js';
import { exitStatusOf } from './exit-status.js';
import { progressReporter } from './progress.js';

const COMMANDS: readonly CliCommand[] = [ask, reindex, article, gaps, evaluate, storyCommand];
/** Every command takes the operator's folders, overriding CORPUS_DIR and INDEX_DIR, and the story to act on. */
const SHARED_OPTIONS = { corpus: { type: 'string' }, index: { type: 'string' }, story: { type: 'string' } } as const;

function help(): string {
  return ['usage: npm run <command> -- [options]', ...COMMANDS.map((c) => `  ${c.usage.padEnd(36)} ${c.summary}`), ''].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(help());
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, ...SHARED_OPTIONS }, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nusage: npm run ${command.usage}\n`);
    return 2;
  }
  dotenv.config({ quiet: true });
  // Progress and results speak for themselves on a terminal; routine logs only on request.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env, ...optionsAsSettings(parsed.values) });
  const logger = createLogger(config.logLevel);
  const progress = progressReporter(process.stderr);
  // Whether a named story exists is the storage's to say (folders, or PostgreSQL), once the app is open.
  const story = typeof parsed.values.story === 'string' ? storyOfId(config, parsed.values.story) : operatorStory(config);
  const withApp = async <T>({ refresh = true, history = false }: { refresh?: boolean; history?: boolean }, work: (app: App) => Promise<T>): Promise<T> => {
    const app = await createApp(config, { logger, onBuildProgress: progress, trustIndex: !refresh, history });
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  };
  const context: CliContext = {
    config,
    logger,
    stdout: process.stdout,
    stderr: process.stderr,
    progress,
    story,
    withApp,
    withStory: (options, work) => withApp(options, (app) => app.using(app.storyById(story.id), work)),
  };
  return command.run(context, parsed.values, parsed.positionals);
}

function optionsAsSettings(values: Record<string, unknown>): Record<string, string> {
  const settings: Record<string, string> = {};
  if (typeof values.corpus === 'string') settings.CORPUS_DIR = values.corpus;
  if (typeof values.index === 'string') settings.INDEX_DIR = values.index;
  return settings;
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`${isAppError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = exitStatusOf(error);
  },
);
