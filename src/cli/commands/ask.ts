/** `ask "question"`: the passages that answer a question, quoted with their source. */
import type { SearchResult } from '../../search/search.js';
import { linkToSentence } from '../../search/text-fragment.js';
import type { CliCommand } from '../command.js';

const DEFAULT_TOP = 3;

interface JsonAnswer {
  question: string;
  answered: boolean;
  passages: { id: string; doc: string; title: string; paragraph: number; text: string; highlight: string; score: number }[];
}

export function toJson(question: string, result: SearchResult, top: number): JsonAnswer {
  return {
    question,
    answered: result.answered,
    passages: result.answered
      ? result.passages.slice(0, top).map(({ passage, article, highlight, score }) => ({
          id: passage.id,
          doc: article.file,
          title: article.title,
          paragraph: passage.paragraph,
          text: passage.text,
          highlight: passage.text.slice(highlight[0], highlight[1]),
          score: Number(score.toFixed(4)),
        }))
      : [],
  };
}

function toText(result: SearchResult, top: number, bold: boolean): string {
  const mark = (text: string): string => (bold ? `\u001b[1m${text}\u001b[22m` : `**${text}**`);
  const lines = [`Q: ${result.question.original}`];
  if (result.question.corrections.length > 0) lines.push(`(searched for: ${result.question.text})`);
  lines.push('');
  if (!result.answered) {
    lines.push("The story doesn't cover that.");
    return `${lines.join('\n')}\n`;
  }
  result.passages.slice(0, top).forEach(({ passage, article, highlight, score }, k) => {
    const [start, end] = highlight;
    const quote = passage.text.slice(0, start) + mark(passage.text.slice(start, end)) + passage.text.slice(end);
    const link = article.url ? ` <${linkToSentence(article.url, passage.text.slice(highlight[0], highlight[1]))}>` : '';
    lines.push(`${k + 1}. ${article.title} — paragraph ${passage.paragraph}${link}  (score ${score.toFixed(2)})`);
    lines.push(`   ${quote}`, '');
  });
  return `${lines.join('\n')}\n`;
}

export const ask: CliCommand = {
  name: 'ask',
  summary: 'answer a question with quoted, cited passages',
  usage: 'ask [--json] [--top N] [--story <owner>/<name>] "question"',
  options: { json: { type: 'boolean' }, top: { type: 'string' } },
  async run(context, values, positionals) {
    const question = positionals.join(' ').trim();
    const top = values.top === undefined ? DEFAULT_TOP : Number(values.top);
    if (question === '' || !Number.isInteger(top) || top < 1) {
      context.stderr.write(`usage: npm run ${this.usage}\n`);
      return 2;
    }
    return context.withStory({}, async (story) => {
      const result = await story.ask(question, { limit: Math.max(top, DEFAULT_TOP) });
      if (!result.answered) context.logger.info({ answerProbability: result.answerability.probability }, 'question declined');
      const isTerminal = (context.stdout as NodeJS.WriteStream).isTTY === true;
      context.stdout.write(values.json ? `${JSON.stringify(toJson(question, result, top))}\n` : toText(result, top, isTerminal));
      return 0;
    });
  },
};
