/** @module models: the embedding models we know, with the prefixes and pooling each was trained with. */

export type Pooling = 'mean' | 'cls';

export interface ModelSpec {
  id: string;
  /** "embedded" models are built locally from an npm package; "hub" models download once and are cached. */
  source: 'embedded' | 'hub';
  queryPrefix: string;
  passagePrefix: string;
  pooling: Pooling;
}

export const DEFAULT_MODEL_ID = 'use-lite';

type KnownModel = Omit<ModelSpec, 'id'>;

const KNOWN_MODELS: Readonly<Record<string, KnownModel>> = {
  'use-lite': { source: 'embedded', queryPrefix: '', passagePrefix: '', pooling: 'mean' },
  'Xenova/all-MiniLM-L6-v2': { source: 'hub', queryPrefix: '', passagePrefix: '', pooling: 'mean' },
  'Xenova/bge-small-en-v1.5': {
    source: 'hub',
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
    passagePrefix: '',
    pooling: 'cls', // BGE is trained on the [CLS] vector, not the mean
  },
  'Xenova/e5-small-v2': { source: 'hub', queryPrefix: 'query: ', passagePrefix: 'passage: ', pooling: 'mean' },
};

export function knownModelIds(): string[] {
  return Object.keys(KNOWN_MODELS);
}

/** Any id is accepted: unknown ones are hub models with no prefixes and mean pooling, unless overridden. */
export function resolveModelSpec(id: string, overrides: { queryPrefix?: string | undefined; passagePrefix?: string | undefined } = {}): ModelSpec {
  const known = KNOWN_MODELS[id] ?? { source: 'hub', queryPrefix: '', passagePrefix: '', pooling: 'mean' };
  return {
    id,
    ...known,
    queryPrefix: overrides.queryPrefix ?? known.queryPrefix,
    passagePrefix: overrides.passagePrefix ?? known.passagePrefix,
  };
}
