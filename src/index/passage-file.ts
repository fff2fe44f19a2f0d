/**
 * @module passage-file: the passages of an index, with their texts left on disk. At 100k passages
 * the texts and their sentence spans took about 90 MB of JavaScript heap, for a question that
 * reads a hundred of them; here memory holds a small table of numbers and a question reads its
 * candidates' texts from the file (a few kilobytes; file-bytes.ts holds a small file in memory).
 */
import type { Passage, Span } from '../corpus/article.js';
import { passageId } from '../corpus/split-passages.js';
import { FileBytes } from './file-bytes.js';
import type { IndexedArticle } from './story-index.js';

const FORMAT = 2;
/** Per passage: article index, paragraph, part, parts in its paragraph, first sentence, text offset, text bytes. */
const COLUMNS = 7;

interface Header {
  format: number;
  articles: IndexedArticle[];
  passageCount: number;
  sentenceCount: number;
}

export interface PassageLocation {
  /** Position of its article in the index's article list. */
  article: number;
  paragraph: number;
  part: number;
}

/** What a loaded index needs of its passages. */
export interface PassageStore {
  readonly length: number;
  /** Passage `label` (its position, as in the vector and lexical indexes). */
  get(label: number): Passage;
  /** Where passage `label` sits, without reading its text. */
  location(label: number): PassageLocation;
  sentenceCount(label: number): number;
  /** The kinds of entity each of its sentences mentions (bit sets of ENTITY, corpus/entities.ts), without reading its text. */
  entities(label: number): Uint16Array;
  close(): void;
}

/**
 * [header length: u32][header JSON][table: u32 × 7 per passage][spans: u32 × 2 per sentence]
 * [entities: u16 per sentence, padded to 4 bytes][texts, UTF-8], little-endian; the table and spans
 * start 4-byte aligned. `entities` holds one bit set per sentence, in passage and sentence order.
 */
export function encodePassages(articles: readonly IndexedArticle[], passages: readonly Passage[], entities: Uint16Array): Buffer {
  const articleIndex = new Map(articles.map((article, k) => [article.id, k]));
  const partsOf = new Map<string, number>();
  for (const { articleId, paragraph } of passages) partsOf.set(`${articleId}#${paragraph}`, (partsOf.get(`${articleId}#${paragraph}`) ?? 0) + 1);
  const texts = passages.map((passage) => Buffer.from(passage.text, 'utf8'));
  const sentenceCount = passages.reduce((sum, passage) => sum + passage.sentences.length, 0);
  if (entities.length !== sentenceCount) throw new Error(`${entities.length} entity sets for ${sentenceCount} sentences`);
  const table = new Uint32Array(passages.length * COLUMNS);
  const spans = new Uint32Array(sentenceCount * 2);
  let sentence = 0;
  let textOffset = 0;
  passages.forEach((passage, label) => {
    const row = label * COLUMNS;
    const textBytes = texts[label]?.byteLength ?? 0;
    table.set([articleIndex.get(passage.articleId) ?? 0, passage.paragraph, passage.part, partsOf.get(`${passage.articleId}#${passage.paragraph}`) ?? 1, sentence, textOffset, textBytes], row);
    for (const [start, end] of passage.sentences) spans.set([start, end], 2 * sentence++);
    textOffset += textBytes;
  });
  const header = Buffer.from(JSON.stringify({ format: FORMAT, articles: [...articles], passageCount: passages.length, sentenceCount } satisfies Header));
  const padding = Buffer.alloc((4 - ((4 + header.byteLength) % 4)) % 4, 0x20);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.byteLength + padding.byteLength);
  const entityBytes = Buffer.alloc(entitiesBytes(sentenceCount));
  entityBytes.set(new Uint8Array(entities.buffer, entities.byteOffset, entities.byteLength));
  return Buffer.concat([length, header, padding, Buffer.from(table.buffer), Buffer.from(spans.buffer), entityBytes, ...texts]);
}

/** The entities' bytes, padded so the texts start 4-byte aligned. */
function entitiesBytes(sentenceCount: number): number {
  return Math.ceil((sentenceCount * 2) / 4) * 4;
}

export class PassageFile implements PassageStore {
  private constructor(
    private readonly file: FileBytes,
    readonly articles: IndexedArticle[],
    private readonly table: Uint32Array,
    private readonly spans: Uint32Array,
    private readonly sentenceEntities: Uint16Array,
    /** Where the texts start in the file. */
    private readonly textsAt: number,
  ) {}

  get length(): number {
    return this.table.length / COLUMNS;
  }

  /** Reads everything but the texts; checks that the layout adds up to the file's size. */
  static open(path: string): PassageFile {
    const file = FileBytes.open(path);
    try {
      const read = (position: number, bytes: number): Buffer => {
        if (position + bytes > file.size) throw new Error('passages file is truncated');
        return file.read(position, bytes);
      };
      const copied = (bytes: Buffer): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const headerLength = read(0, 4).readUInt32LE(0);
      const header = JSON.parse(read(4, headerLength).toString('utf8')) as Header;
      if (header.format !== FORMAT) throw new Error(`passages file format ${header.format}, expected ${FORMAT}`);
      const tableAt = 4 + headerLength;
      const table = new Uint32Array(copied(read(tableAt, header.passageCount * COLUMNS * 4)));
      const spansAt = tableAt + table.byteLength;
      const spans = new Uint32Array(copied(read(spansAt, header.sentenceCount * 2 * 4)));
      const entitiesAt = spansAt + spans.byteLength;
      const sentenceEntities = new Uint16Array(copied(read(entitiesAt, entitiesBytes(header.sentenceCount))), 0, header.sentenceCount);
      const textsAt = entitiesAt + entitiesBytes(header.sentenceCount);
      const lastRow = (header.passageCount - 1) * COLUMNS;
      const textBytes = header.passageCount === 0 ? 0 : (table[lastRow + 5] ?? 0) + (table[lastRow + 6] ?? 0);
      if (file.size !== textsAt + textBytes) throw new Error(`passages file has ${file.size} bytes, its table adds up to ${textsAt + textBytes}`);
      return new PassageFile(file, header.articles, table, spans, sentenceEntities, textsAt);
    } catch (error) {
      file.close();
      throw error;
    }
  }

  get(label: number): Passage {
    if (!Number.isInteger(label) || label < 0 || label >= this.length) throw new RangeError(`no passage ${label}`);
    const row = label * COLUMNS;
    const [article, paragraph, part, parts, firstSentence, textOffset, textBytes] = Array.from(this.table.subarray(row, row + COLUMNS));
    const text = this.file.read(this.textsAt + (textOffset ?? 0), textBytes ?? 0).toString('utf8');
    const articleId = this.articles[article ?? 0]?.id ?? '';
    const sentences: Span[] = [];
    for (let s = firstSentence ?? 0; s < (firstSentence ?? 0) + this.sentenceCount(label); s += 1) sentences.push([this.spans[2 * s] ?? 0, this.spans[2 * s + 1] ?? 0]);
    return {
      id: passageId(articleId, paragraph ?? 1, part ?? 1, parts ?? 1),
      articleId,
      paragraph: paragraph ?? 1,
      part: part ?? 1,
      text,
      sentences,
    };
  }

  location(label: number): PassageLocation {
    if (!Number.isInteger(label) || label < 0 || label >= this.length) throw new RangeError(`no passage ${label}`);
    const row = label * COLUMNS;
    return { article: this.table[row] ?? 0, paragraph: this.table[row + 1] ?? 1, part: this.table[row + 2] ?? 1 };
  }

  sentenceCount(label: number): number {
    const first = this.table[label * COLUMNS + 4] ?? 0;
    const next = label + 1 < this.length ? (this.table[(label + 1) * COLUMNS + 4] ?? 0) : this.spans.length / 2;
    return next - first;
  }

  entities(label: number): Uint16Array {
    const first = this.table[label * COLUMNS + 4] ?? 0;
    return this.sentenceEntities.subarray(first, first + this.sentenceCount(label));
  }

  close(): void {
    this.file.close();
  }
}

/** Every passage, in label order: for tools and tests, not for serving (it reads every text). */
export function allPassages(store: PassageStore): Passage[] {
  return Array.from({ length: store.length }, (_, label) => store.get(label));
}
