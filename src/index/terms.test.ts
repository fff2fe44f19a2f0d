import { describe, expect, it } from 'vitest';
import { acronymsOf, termsOf } from './terms.js';

describe('terms', () => {
  it('turns words that name JavaScript object properties into ordinary terms', () => {
    const terms = termsOf('The constructor called toString and hasOwnProperty on __proto__ objects.');
    expect(terms.every((term) => typeof term === 'string')).toBe(true);
    expect(terms).toContain('constructor');
  });

  it('stems, drops stopwords, folds accents and keeps numbers and abbreviations whole', () => {
    expect(termsOf('The officials renounced the use of force')).toEqual(['offici', 'renounc', 'us', 'forc']);
    expect(termsOf('Üzümcü said 1,400 people died at 4 p.m.')).toEqual(['uzumcu', '1400', 'peopl', 'di', '4', 'pm']);
  });

  it('indexes a country under its capital, seat and demonym, and a possessive under its name', () => {
    expect(termsOf("Washington, the Kremlin and Damascus; Moscow's plan; American officials")).toEqual(['US', 'RUSSIA', 'SYRIA', 'RUSSIA', 'plan', 'US', 'offici']);
  });

  it('tells the country "US" from the pronoun "us", and joins "United Nations"', () => {
    expect(termsOf('the U.S. told us')).toEqual(['US', 'told']);
    expect(termsOf('The United Nations and the UN')).toEqual(['UN', 'UN']);
    expect(termsOf('the use of force')).toEqual(['us', 'forc']); // a stem, not the country
  });

  it('indexes a month under its AP abbreviation', () => {
    expect(termsOf('August 21')).toEqual(termsOf('Aug. 21'));
  });

  it('derives acronyms from spelled-out names', () => {
    expect(acronymsOf('The Organisation for the Prohibition of Chemical Weapons met. The Free Syrian Army, led by Idris, refused.')).toEqual(['opcw', 'fsa']);
  });
});
