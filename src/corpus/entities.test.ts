import { describe, expect, it } from 'vitest';
import { ENTITY, type EntityKind, entitiesOf } from './entities.js';

const kinds = (sentence: string): EntityKind[] => (Object.keys(ENTITY) as EntityKind[]).filter((kind) => (entitiesOf(sentence) & ENTITY[kind]) !== 0);

describe('entitiesOf', () => {
  it('names the kinds of entity a news sentence mentions', () => {
    expect(kinds("Kerry spoke to Russia's foreign minister Sergey Lavrov on Monday.")).toEqual(['date', 'person', 'place', 'name']);
    expect(kinds('The plan would cost $1 billion over 40 days.')).toEqual(['duration', 'money']);
    expect(kinds('About 1,000 tons of chemical weapons remain, 12% of them in Aleppo.')).toEqual(['number', 'percent', 'place']);
    expect(kinds('The weapons would be handed to the United Nations.')).toEqual(['organisation', 'name']);
  });

  it('finds what the taggers miss in news: AP-style dates and names too new for a lexicon', () => {
    expect(kinds('Judge Andrea Kessler set sentencing for Sept. 17.')).toContain('date');
    expect(kinds('The hackers, a group known as Vault Cobra, struck again.')).toEqual(['name']);
  });

  it('finds none in a sentence that names nothing', () => {
    expect(entitiesOf('But nothing is a sure-fire bet.')).toBe(0);
  });
});
