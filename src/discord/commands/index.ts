/** @module commands: every slash command, listed explicitly so the set is type-checked and easy to see. */
import type { Command } from '../command.js';
import { article } from './article.js';
import { ask } from './ask.js';
import { reindex } from './reindex.js';
import { sources } from './sources.js';
import { status } from './status.js';

export const commands: readonly Command[] = [ask, article, reindex, sources, status];
