/**
 * @module index-store: the index on disk. Each build lives in its own folder under `builds/`;
 * the file `CURRENT` names the live one and is replaced by an atomic rename, so a reader sees the
 * old build or the new one, never half of each, and a crash mid-write leaves the old one live.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Passage } from '../corpus/article.js';
import { AppError, ErrorCodes } from '../errors.js';
import { Vocabulary } from './vocabulary.js';
import { LexicalIndex } from './lexical-index.js';
import { type FileChecksum, INDEX_FORMAT_VERSION, type Manifest, sha256 } from './manifest.js';
import { PassageFile, type PassageStore, encodePassages } from './passage-file.js';
import { Projection } from './projection.js';
import { VectorRecordFile, recordBytes } from './vector-records.js';
import type { StoryIndex } from './story-index.js';
import { VectorIndex } from './vector-index.js';

const CURRENT = 'CURRENT';
const BUILDS = 'builds';
const MANIFEST = 'manifest.json';
/** The vector graph's file, which hnswlib holds in memory whole. */
export const HNSW_FILE = 'vectors.hnsw';

/** The data files of one build, each checksummed in the manifest. */
const FILES = {
  passages: 'passages.bin',
  sentenceVectors: 'sentence-vectors.i8',
  passageVectors: 'passage-vectors.i8',
  hnsw: HNSW_FILE,
  /** Empty when the graph holds full vectors. */
  projection: 'projection.bin',
  lexical: 'lexical.bin',
  terms: 'terms.json',
} as const;

interface TermsFile {
  /** Normalised word → occurrences, for spelling correction. */
  words: [string, number][];
  /** Index term → passages containing it, for weighting query terms. */
  documentFrequency: [string, number][];
}

async function checksumOfFile(path: string): Promise<FileChecksum> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).byteLength;
  }
  return { bytes, sha256: hash.digest('hex') };
}

function corrupt(indexDir: string, detail: string, cause?: unknown): AppError {
  return new AppError(ErrorCodes.INDEX_CORRUPT, `The index in ${indexDir} is damaged (${detail}); it will be rebuilt.`, { cause });
}

/** The id of the live build, or undefined when there is none. */
export async function liveBuildId(indexDir: string): Promise<string | undefined> {
  try {
    return (await readFile(join(indexDir, CURRENT), 'utf8')).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The live build's manifest alone (counts for a listing, without loading the index); undefined when there is none. */
export async function readLiveManifest(indexDir: string): Promise<Manifest | undefined> {
  const build = await liveBuildId(indexDir).catch(() => undefined);
  if (build === undefined) return undefined;
  try {
    return JSON.parse(await readFile(join(indexDir, BUILDS, build, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Loads the live build after checking every file against the manifest. */
export async function loadIndex(indexDir: string): Promise<StoryIndex> {
  // CURRENT is read once: every file below comes from that one build, even if a swap happens meanwhile.
  const build = await liveBuildId(indexDir);
  if (build === undefined) throw new AppError(ErrorCodes.INDEX_MISSING, `No index has been built in ${indexDir} yet.`);
  const dir = join(indexDir, BUILDS, build);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch (cause) {
    throw corrupt(indexDir, `its manifest cannot be read: ${String(cause)}`, cause);
  }
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new AppError(ErrorCodes.INDEX_OUTDATED, `The index in ${indexDir} has format ${manifest.formatVersion}; this version reads format ${INDEX_FORMAT_VERSION}, so it will be rebuilt.`);
  }
  const contents = new Map<string, Buffer>();
  for (const name of Object.values(FILES)) {
    const expected = manifest.files[name];
    // The big files are read by their own readers below, so they are only streamed through the hash.
    const streamed = name === FILES.passages || name === FILES.sentenceVectors || name === FILES.passageVectors || name === FILES.hnsw;
    const read = streamed ? checksumOfFile(join(dir, name)) : readFile(join(dir, name)).then((bytes) => ({ bytes: bytes.byteLength, sha256: sha256(bytes), contents: bytes }));
    const actual: FileChecksum & { contents?: Buffer } = await read.catch((cause: unknown) => {
      throw corrupt(indexDir, `${name} cannot be read`, cause);
    });
    if (!expected || actual.bytes !== expected.bytes) throw corrupt(indexDir, `${name} has ${actual.bytes} bytes, expected ${expected?.bytes}`);
    if (actual.sha256 !== expected.sha256) throw corrupt(indexDir, `${name} does not match its checksum`);
    if (actual.contents) contents.set(name, actual.contents);
  }
  const text = (name: string): string => contents.get(name)?.toString('utf8') ?? '';
  let passages: PassageFile | undefined;
  try {
    const { dimensions } = manifest.embedding;
    passages = PassageFile.open(join(dir, FILES.passages));
    let sentenceCount = 0;
    for (let label = 0; label < passages.length; label += 1) sentenceCount += passages.sentenceCount(label);
    if (manifest.files[FILES.sentenceVectors]?.bytes !== sentenceCount * recordBytes(dimensions)) throw new Error('sentence vectors do not match the passages');
    if (manifest.files[FILES.passageVectors]?.bytes !== passages.length * recordBytes(dimensions)) throw new Error('passage vectors do not match the passages');
    const projectionBytes = contents.get(FILES.projection);
    const projection = projectionBytes && projectionBytes.byteLength > 0 ? Projection.fromBytes(projectionBytes) : undefined;
    if (projection && projection.inputDimensions !== dimensions) throw new Error('the projection does not match the model');
    const vectors = await VectorIndex.read(join(dir, FILES.hnsw), dimensions, projection, passages.length);
    if (vectors.size !== passages.length) throw new Error('the vector index does not match the passages');
    const terms = JSON.parse(text(FILES.terms)) as TermsFile;
    return {
      buildId: build,
      manifest,
      articles: passages.articles,
      passages,
      vectors,
      ...openVectorRecords(dir, passages, dimensions),
      lexical: LexicalIndex.fromBytes(contents.get(FILES.lexical) ?? new Uint8Array()),
      vocabulary: new Vocabulary(new Map(terms.words)),
      documentFrequency: new Map(terms.documentFrequency),
    };
  } catch (cause) {
    passages?.close();
    throw corrupt(indexDir, `its files are inconsistent: ${String(cause)}`, cause);
  }
}

function openVectorRecords(buildDir: string, passages: PassageStore, dimensions: number): Pick<StoryIndex, 'passageVectors' | 'sentenceVectors'> {
  const labels = Array.from({ length: passages.length }, (_, label) => label);
  return {
    passageVectors: VectorRecordFile.open(join(buildDir, FILES.passageVectors), labels.map(() => 1), dimensions),
    sentenceVectors: VectorRecordFile.open(join(buildDir, FILES.sentenceVectors), labels.map((label) => passages.sentenceCount(label)), dimensions),
  };
}

/** Releases the files an index holds open. */
export function closeIndex(index: StoryIndex): void {
  index.passages.close();
  index.passageVectors.close();
  index.sentenceVectors.close();
}

/** A freshly built index, before it is saved: passages in memory, vector records as the encoded file contents. */
export interface IndexContent extends Omit<StoryIndex, 'buildId' | 'manifest' | 'passages' | 'passageVectors' | 'sentenceVectors'> {
  passages: Passage[];
  /** One bit set of entity kinds per sentence, in passage and sentence order (corpus/entities.ts). */
  sentenceEntities: Uint16Array;
  passageVectors: Uint8Array;
  sentenceVectors: Uint8Array;
}

/**
 * Writes a complete build beside the live one, then makes it live, and returns it as a loaded
 * index. Earlier builds are removed afterwards; readers that loaded them keep their open files.
 */
export async function saveIndex(indexDir: string, index: IndexContent, manifest: Omit<Manifest, 'files'>): Promise<StoryIndex> {
  const buildsDir = join(indexDir, BUILDS);
  const id = `${manifest.builtAt.replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  const staging = join(buildsDir, `.staging-${id}`);
  await mkdir(staging, { recursive: true });
  const { dimensions } = manifest.embedding;
  const terms: TermsFile = { words: [...index.vocabulary.entries()], documentFrequency: [...index.documentFrequency] };
  const data: [string, Uint8Array | string][] = [
    [FILES.passages, encodePassages(index.articles, index.passages, index.sentenceEntities)],
    [FILES.sentenceVectors, index.sentenceVectors],
    [FILES.passageVectors, index.passageVectors],
    [FILES.projection, index.vectors.projection?.toBytes() ?? new Uint8Array()],
    [FILES.lexical, index.lexical.toBytes()],
    [FILES.terms, JSON.stringify(terms)],
  ];
  const files: Record<string, FileChecksum> = {};
  try {
    for (const [name, content] of data) {
      await writeFile(join(staging, name), content);
      files[name] = { bytes: Buffer.byteLength(content), sha256: sha256(content) };
    }
    const serving = await index.vectors.write(join(staging, FILES.hnsw));
    files[FILES.hnsw] = await checksumOfFile(join(staging, FILES.hnsw));
    const complete: Manifest = { ...manifest, files };
    await writeFile(join(staging, MANIFEST), JSON.stringify(complete, null, 2));
    const buildDir = join(buildsDir, id);
    await rename(staging, buildDir);
    await makeLive(indexDir, id);
    const { passages: _inMemory, passageVectors: _passageRecords, sentenceVectors: _sentenceRecords, ...rest } = index;
    const passages = PassageFile.open(join(buildDir, FILES.passages));
    return { ...rest, vectors: serving, buildId: id, manifest: complete, passages, ...openVectorRecords(buildDir, passages, dimensions) };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Points CURRENT at the build in one rename, then removes the others (readers that loaded them keep their open files). */
async function makeLive(indexDir: string, id: string): Promise<void> {
  const pointer = join(indexDir, `.${CURRENT}.${id}`);
  await writeFile(pointer, id);
  await rename(pointer, join(indexDir, CURRENT));
  await removeOtherBuilds(join(indexDir, BUILDS), id);
}

/** The live build's id and files (manifest included), to copy it elsewhere; undefined when there is none. */
export async function liveBuildFiles(indexDir: string): Promise<{ buildId: string; files: { name: string; path: string }[] } | undefined> {
  const buildId = await liveBuildId(indexDir);
  if (buildId === undefined) return undefined;
  const dir = join(indexDir, BUILDS, buildId);
  const names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
  return { buildId, files: names.map((name) => ({ name, path: join(dir, name) })) };
}

/**
 * Makes a build copied from elsewhere (liveBuildFiles) the live one: written beside the live one,
 * then switched to as a local build is. Its files are checked against its manifest when loaded.
 */
export async function placeBuild(indexDir: string, buildId: string, files: readonly { name: string; data: Uint8Array }[]): Promise<void> {
  if (!/^[\w-]+$/.test(buildId) || files.some((file) => !/^[\w.-]+$/.test(file.name) || file.name.startsWith('.'))) throw new Error(`not a build: ${buildId}`);
  const buildsDir = join(indexDir, BUILDS);
  const buildDir = join(buildsDir, buildId);
  if ((await liveBuildId(indexDir)) === buildId) return;
  const staging = join(buildsDir, `.staging-${buildId}-${randomBytes(3).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  try {
    for (const file of files) await writeFile(join(staging, file.name), file.data);
    await rm(buildDir, { recursive: true, force: true });
    await rename(staging, buildDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await makeLive(indexDir, buildId);
}

/** A staging folder this old belongs to a build that crashed, not to one still writing. */
const ABANDONED_STAGING_MS = 60 * 60 * 1000;

async function removeOtherBuilds(buildsDir: string, keep: string): Promise<void> {
  for (const name of await readdir(buildsDir)) {
    if (name === keep) continue;
    const path = join(buildsDir, name);
    if (name.startsWith('.staging-')) {
      const age = Date.now() - (await stat(path)).mtimeMs;
      if (age < ABANDONED_STAGING_MS) continue;
    }
    await rm(path, { recursive: true, force: true });
  }
}
