/**
 * @module tokenizer-files: the Hugging Face tokenizer files that reproduce USE-lite's own
 * SentencePiece tokenizer (a unigram model over the package's vocab.json) in transformers.js.
 */
import { USE_LITE_DIMENSIONS } from './convert-graph.js';

/** vocab.json holds [piece, score] pairs; a few pieces have a null score. */
export type UseLiteVocabulary = [string, number | null][];

/** Ids 0-5 are reserved symbols that USE's tokenizer never produces. */
const RESERVED_IDS = 6;
/** The graph keeps only the first 128 pieces (its ClipToMaxLength step). */
export const USE_LITE_MAX_TOKENS = 128;
const WORD_BOUNDARY = '\u2581';

export function tokenizerJson(vocabulary: UseLiteVocabulary): object {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    // The reference tokenizer encodes "▁" + NFKC(text) with every space replaced by "▁", as one piece.
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFKC' },
        { type: 'Prepend', prepend: WORD_BOUNDARY },
        { type: 'Replace', pattern: { String: ' ' }, content: WORD_BOUNDARY },
      ],
    },
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: WORD_BOUNDARY, add_prefix_space: true, prepend_scheme: 'always', split: false },
    model: {
      type: 'Unigram',
      unk_id: 0,
      byte_fallback: false,
      // The reference trie treats a null score as 0, and never emits reserved ids: a huge cost keeps them out.
      vocab: vocabulary.map(([piece, score], id) => [piece, id < RESERVED_IDS ? -1e6 : (score ?? 0)]),
    },
  };
}

export function tokenizerConfigJson(vocabulary: UseLiteVocabulary): object {
  return {
    tokenizer_class: 'PreTrainedTokenizer',
    model_max_length: USE_LITE_MAX_TOKENS,
    unk_token: vocabulary[0]?.[0] ?? '<unk>',
    pad_token: '</s>',
    clean_up_tokenization_spaces: false,
  };
}

export function configJson(vocabulary: UseLiteVocabulary): object {
  return {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: USE_LITE_DIMENSIONS,
    vocab_size: vocabulary.length,
    max_position_embeddings: USE_LITE_MAX_TOKENS,
    _comment:
      'Universal Sentence Encoder lite (Apache-2.0) converted from TF.js; not a BERT: ' +
      'model_type bert only makes transformers.js run it as a plain encoder.',
  };
}
