/** `story -- list [--owner ID] | create <server id>/<name> | delete <server id>/<name>`: the stories, as /story manages them in Discord. */
import type { App } from '../../app.js';
import type { CliCommand, CliContext } from '../command.js';

const USAGE = 'story -- list [--owner <server id>] | create <server id>/<name> | delete <server id>/<name>';

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

async function list(context: CliContext, app: App, owner: string | undefined): Promise<number> {
  const lines = [`${app.operator.id}: the operator's story (${app.operator.corpusDir})`];
  for (const each of owner === undefined ? app.storyOwners() : [owner]) {
    for (const listing of await app.listStories(each)) {
      if (listing.story.id === app.operator.id) continue;
      const channels = listing.channels.length === 0 ? '' : `, channels ${listing.channels.join(', ')}`;
      lines.push(`${listing.story.id}: ${count(listing.articles, 'article')}, ${count(listing.passages, 'passage')}${listing.isDefault ? ', the server default' : ''}${channels}`);
    }
  }
  context.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export const story: CliCommand = {
  name: 'story',
  summary: "list the stories, or create or delete a server's story",
  usage: USAGE,
  options: { owner: { type: 'string' } },
  async run(context, values, [action, target = '', ...rest]) {
    const usage = (): number => {
      context.stderr.write(`usage: npm run ${USAGE}\n`);
      return 2;
    };
    if (rest.length > 0) return usage();
    if (action === 'list' && target === '') return context.withApp({ refresh: false }, (app) => list(context, app, typeof values.owner === 'string' ? values.owner : undefined));
    if ((action !== 'create' && action !== 'delete') || target === '') return usage();
    return context.withApp({ refresh: false, history: action === 'delete' }, async (app) => {
      if (action === 'create') {
        // The name as typed, so a bad one is told the naming rule.
        const slash = target.indexOf('/');
        const created = await app.createStory(target.slice(0, Math.max(slash, 0)), target.slice(slash + 1));
        context.stdout.write(`Created ${created.id} (${created.corpusDir}); add articles with npm run article -- --story ${created.id} add <url|file>.\n`);
      } else {
        const doomed = app.storyById(target);
        await app.deleteStory(doomed);
        context.stdout.write(`Deleted ${doomed.id}: its articles, index, channel bindings and history.\n`);
      }
      return 0;
    });
  },
};
