/** `gaps [--days N] [--guild ID] [--limit N] [--json]`: what `/gaps` shows, for every server or one. */
import { openEngine } from '../../app.js';
import { formatGaps, gapsReport } from '../../history/gaps.js';
import { HistoryStore } from '../../history/history-store.js';
import type { CliCommand } from '../command.js';

const DAY_MS = 86_400_000;

function positiveInteger(value: unknown, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : undefined;
}

export const gaps: CliCommand = {
  name: 'gaps',
  summary: 'what the story does not cover yet (declined, voted-down and weakly answered questions)',
  usage: 'gaps -- [--days N] [--guild ID] [--limit N] [--json]',
  options: { days: { type: 'string' }, guild: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(context, values) {
    const days = positiveInteger(values.days, 30);
    const limit = positiveInteger(values.limit, 10);
    if (days === undefined || limit === undefined) {
      context.stderr.write(`--days and --limit take a whole number above 0\nusage: npm run ${this.usage}\n`);
      return 2;
    }
    const store = HistoryStore.open(context.config.dataDir, context.logger);
    const db = store.database;
    if (db === undefined) {
      const status = store.status();
      context.stderr.write(`The history database cannot be read${status.ok ? '' : ` (${status.reason})`}.\n`);
      return 3;
    }
    const engine = await openEngine(context.config, context.logger);
    try {
      const report = await gapsReport(db, engine.embedder, { guildId: typeof values.guild === 'string' ? values.guild : undefined, since: Date.now() - days * DAY_MS, limit });
      context.stdout.write(values.json === true ? `${JSON.stringify(report)}\n` : `${formatGaps(report, days)}\n`);
      return 0;
    } finally {
      store.close();
      await engine.embedder.dispose();
    }
  },
};
