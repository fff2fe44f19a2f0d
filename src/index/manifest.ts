/**
 * @module manifest: what an index was built from and with, stored beside it, so a loader can tell
 * a current index from a stale, mismatched or damaged one.
 */
import { createHash } from 'node:crypto';
import type { SkippedFile } from '../corpus/article.js';
import { ENTITY_TAGGER_VERSION } from '../corpus/entities.js';
import { HNSW_PARAMETERS } from './vector-index.js';

/** Bump when the files' layout or meaning changes; older indexes are then rebuilt, not misread. */
export const INDEX_FORMAT_VERSION = 5;

export interface FileChecksum {
  bytes: number;
  sha256: string;
}

export interface EmbeddingSettings {
  modelId: string;
  dimensions: number;
  queryPrefix: string;
  passagePrefix: string;
}

export interface Manifest {
  formatVersion: number;
  embedding: EmbeddingSettings;
  /** The version of the entity tagger its sentences were tagged with (corpus/entities.ts). */
  entityTagger: number;
  hnsw: typeof HNSW_PARAMETERS;
  /** Hash of the corpus files' names and bytes: equal means nothing to reindex. */
  corpusFingerprint: string;
  /** ISO 8601. */
  builtAt: string;
  articleCount: number;
  passageCount: number;
  skipped: SkippedFile[];
  /** Every data file of the build with its size and hash, to detect truncation and corruption. */
  files: Record<string, FileChecksum>;
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Why a manifest does not fit the current settings, or undefined when it does. */
export function manifestMismatch(manifest: Manifest, expected: Omit<EmbeddingSettings, 'dimensions'>): string | undefined {
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) return `it has format ${manifest.formatVersion}, this version reads ${INDEX_FORMAT_VERSION}`;
  if (manifest.entityTagger !== ENTITY_TAGGER_VERSION) return `its sentences were tagged by entity tagger ${manifest.entityTagger}, this version tags with ${ENTITY_TAGGER_VERSION}`;
  const built = manifest.embedding;
  if (built.modelId !== expected.modelId) return `it was built with model "${built.modelId}", the configured model is "${expected.modelId}"`;
  if (built.queryPrefix !== expected.queryPrefix || built.passagePrefix !== expected.passagePrefix) {
    return 'it was built with other query/passage prefixes';
  }
  return undefined;
}
