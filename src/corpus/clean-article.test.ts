import { describe, expect, it } from 'vitest';
import { cleanArticle } from './clean-article.js';

describe('cleanArticle', () => {
  it('drops browser notices, truncated headlines and captions, and repeated decks, keeping real text verbatim', () => {
    const body = [
      'IE 11 is not supported. For an optimal experience visit our site on another browser.',
      'Russian Syria deal: This would',
      'A deal on Syria’s chemical weapons is far from done.\nA man walks through a destroyed area, following repeated airstrikes by...',
      'A deal on Syria’s chemical weapons is far from done.',
      'Syria has agreed to the Russian plan. But Putin said the plan will only work if the U.S. takes strikes off the table.',
    ].join('\n\n');
    expect(cleanArticle(body, 'txt').paragraphs).toEqual([
      'A deal on Syria’s chemical weapons is far from done.',
      'Syria has agreed to the Russian plan. But Putin said the plan will only work if the U.S. takes strikes off the table.',
    ]);
  });

  it('drops cookie banners, menus, bylines, share prompts, related links and footers', () => {
    const body = [
      'We use cookies to personalise content. By clicking “Accept all” you agree to the storing of cookies.',
      'Skip to main content',
      'World | Europe | Middle East',
      'By Example News staff | Published 11 October 2013',
      'Share this article',
      'The watchdog was awarded the prize on Friday.',
      'Advertisement',
      'Related: What is sarin?',
      'Sign up to our morning briefing — the day’s top stories in your inbox.',
      '© 2013 Example News. All rights reserved.',
    ].join('\n\n');
    expect(cleanArticle(body, 'txt').paragraphs).toEqual(['The watchdog was awarded the prize on Friday.']);
  });

  it('joins hard-wrapped lines, keeps Markdown list items, and takes the first heading as a title', () => {
    const body = '# The framework\n\nThe plan required Syria to\ndeclare its stockpile within a week.\n\n- 1,300 tonnes of chemicals\n- 1,000 munitions';
    expect(cleanArticle(body, 'md')).toEqual({
      heading: 'The framework',
      paragraphs: ['The plan required Syria to declare its stockpile within a week.', '- 1,300 tonnes of chemicals', '- 1,000 munitions'],
    });
  });

  it('keeps a long paragraph that merely mentions cookies or ends without a period', () => {
    const long = 'Officials said the talks on the framework would continue through the weekend in Geneva with experts from both sides and observers from the United Nations';
    expect(cleanArticle(long, 'txt').paragraphs).toEqual([long]);
  });
});
