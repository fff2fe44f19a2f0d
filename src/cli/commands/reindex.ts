/** `reindex`: rebuild the index from the corpus folder, reusing every vector already computed. */
import type { CliCommand } from '../command.js';

export const reindex: CliCommand = {
  name: 'reindex',
  summary: 'rebuild the index after changing the corpus',
  usage: 'reindex [--story <owner>/<name>]',
  options: {},
  async run(context) {
    return context.withStory({ refresh: false }, async (story) => {
      // A missing or damaged index was already rebuilt while opening; that build is the reindex.
      const summary = story.openingBuild ?? (await story.reindex((progress) => context.progress(progress)));
      const lines = [
        summary.upToDate ? 'The index was already up to date.' : 'Index rebuilt.',
        `  articles: ${summary.articles}`,
        `  passages: ${summary.passages} (${summary.embedded} embedded, ${summary.reused} reused)`,
        `  time: ${summary.seconds.toFixed(2)} s`,
        ...summary.skipped.map(({ file, reason }) => `  skipped ${file}: ${reason}`),
      ];
      context.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    });
  },
};
