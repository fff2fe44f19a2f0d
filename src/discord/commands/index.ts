/** @module commands: every slash command, listed explicitly so the set is type-checked and easy to see. */
import type { Command, MessageCommand } from '../command.js';
import { article } from './article.js';
import { ask } from './ask.js';
import { check } from './check.js';
import { gaps } from './gaps.js';
import { reindex } from './reindex.js';
import { sources } from './sources.js';
import { status } from './status.js';
import { story } from './story.js';

export const commands: readonly Command[] = [ask, article, gaps, reindex, sources, status, story];

/** Message context-menu commands (right-click a message → Apps). */
export const messageCommands: readonly MessageCommand[] = [check];
