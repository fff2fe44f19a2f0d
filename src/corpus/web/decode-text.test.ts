import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from './decode-text.js';

const TEXT = '“Sergueï’s café” — 5 €';

describe('decodeText', () => {
  it('reads the charset from the header first, then <meta charset>, then <meta http-equiv>', () => {
    expect(decodeText(iconv.encode(TEXT, 'windows-1252'), 'text', 'windows-1252')).toBe(TEXT);
    const meta = iconv.encode(`<html><head><meta charset="windows-1252"></head><body>${TEXT}</body></html>`, 'windows-1252');
    expect(decodeText(meta, 'html', undefined)).toContain(TEXT);
    const httpEquiv = iconv.encode(`<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15"><p>Sergueï paid 5 €</p>`, 'iso-8859-15');
    expect(decodeText(httpEquiv, 'html', undefined)).toContain('Sergueï paid 5 €');
  });

  it('honours a byte-order mark over any declaration, and drops it', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]), 'text', 'windows-1252')).toBe(TEXT);
    expect(decodeText(iconv.encode(TEXT, 'utf-16le', { addBOM: true }), 'text', undefined)).toBe(TEXT);
  });

  it('takes undeclared text as UTF-8 when it is, else as Windows-1252', () => {
    expect(decodeText(Buffer.from(TEXT), 'text', undefined)).toBe(TEXT);
    expect(decodeText(iconv.encode(TEXT, 'windows-1252'), 'text', undefined)).toBe(TEXT);
  });

  it('refuses an encoding it cannot read, and binary data', () => {
    expect(() => decodeText(Buffer.from('x'), 'html', 'x-klingon')).toThrow(/an encoding the bot cannot read \("x-klingon"\)/);
    expect(() => decodeText(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), 'text', undefined)).toThrow(/binary, not text/);
  });
});
