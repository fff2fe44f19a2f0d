/** `article add <url|file>`, `article remove <name>`, `article list`: the corpus managed as /article and /sources do it in Discord. */
import { userInfo } from 'node:os';
import type { AddedArticle, RemovedArticle } from '../../app.js';
import { readCorpusEntries } from '../../corpus/article-store.js';
import type { ArticleSource } from '../../corpus/import-article.js';
import type { CliCommand, CliContext } from '../command.js';

const USAGE = 'article -- [--story <owner>/<name>] add <url|file> | remove <name> | list';

/** A link when it reads as one, a file on this machine otherwise. */
export function sourceOf(target: string): ArticleSource {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(target.trim()) ? { kind: 'link', link: target } : { kind: 'file', path: target };
}

export function addedLines(added: AddedArticle): string[] {
  return [
    `Added ${added.file}: "${added.title ?? 'untitled'}"`,
    ...(added.site === undefined ? [] : [`  site: ${added.site}`]),
    ...(added.published === undefined ? [] : [`  published: ${added.published}`]),
    ...(added.url === undefined ? [] : [`  url: ${added.url}`]),
    `  paragraphs: ${added.paragraphs} (${added.passages} passages; ${added.summary.embedded} embedded, ${added.summary.reused} reused, ${added.summary.seconds.toFixed(1)} s)`,
    `  first paragraph: ${added.preview}`,
  ];
}

export function removedLines(removed: RemovedArticle): string[] {
  return [
    `Removed ${removed.file}${removed.title === undefined ? '' : `: "${removed.title}"`}; it is kept in the corpus folder as ${removed.movedTo}.`,
    `  the story now has ${removed.summary.articles} articles, ${removed.summary.passages} passages`,
  ];
}

async function list(context: CliContext): Promise<number> {
  const entries = await readCorpusEntries(context.story.corpusDir);
  if (entries.length === 0) context.stdout.write(`No articles in ${context.story.corpusDir}.\n`);
  for (const { file, metadata } of entries) {
    const details = [
      metadata.source,
      metadata.published === undefined ? undefined : `published ${metadata.published}`,
      metadata.addedAt === undefined ? 'in the corpus folder' : `added ${metadata.addedAt.slice(0, 10)}${metadata.addedByName === undefined ? '' : ` by ${metadata.addedByName}`}`,
    ].filter((detail) => detail !== undefined);
    context.stdout.write(`${file}: ${metadata.title ?? '(untitled)'}\n  ${details.join(' · ')}${metadata.url === undefined ? '' : `\n  ${metadata.url}`}\n`);
  }
  return 0;
}

export const article: CliCommand = {
  name: 'article',
  summary: 'add an article (link or file), remove one, or list them',
  usage: USAGE,
  options: {},
  async run(context, _values, [action, ...targets]) {
    const target = targets.join(' ');
    if (action === 'list' && target === '') return list(context);
    if ((action !== 'add' && action !== 'remove') || target.trim() === '') {
      context.stderr.write(`usage: npm run ${USAGE}\n`);
      return 2;
    }
    return context.withStory({}, async (story) => {
      const lines =
        action === 'add'
          ? addedLines(await story.addArticle(sourceOf(target), { memberId: undefined, name: `${userInfo().username} (command line)` }, context.progress))
          : removedLines(await story.removeArticle(target, context.progress));
      context.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    });
  },
};
