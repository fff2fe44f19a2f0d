/** `gaps [--days N] [--guild ID] [--limit N] [--json]`: what `/gaps` shows, for every server or one. */
import { formatGaps } from '../../history/gaps.js';
import type { CliCommand } from '../command.js';

function positiveInteger(value: unknown, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : undefined;
}

export const gaps: CliCommand = {
  name: 'gaps',
  summary: 'what the story does not cover yet (declined, voted-down and weakly answered questions)',
  usage: 'gaps -- [--days N] [--guild ID] [--limit N] [--json] [--story <owner>/<name>]',
  options: { days: { type: 'string' }, guild: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(context, values) {
    const days = positiveInteger(values.days, 30);
    const limit = positiveInteger(values.limit, 10);
    if (days === undefined || limit === undefined) {
      context.stderr.write(`--days and --limit take a whole number above 0\nusage: npm run ${this.usage}\n`);
      return 2;
    }
    return context.withApp({ refresh: false, history: true }, async (app) => {
      const report = await app.using(context.story, (story) => story.gaps({ guildId: typeof values.guild === 'string' ? values.guild : undefined, days, limit }));
      if (report === undefined) {
        const status = app.history?.store.status();
        context.stderr.write(`The history database cannot be read${status && !status.ok ? ` (${status.reason})` : ''}.\n`);
        return 3;
      }
      context.stdout.write(values.json === true ? `${JSON.stringify(report)}\n` : `${formatGaps(report, days)}\n`);
      return 0;
    });
  },
};
