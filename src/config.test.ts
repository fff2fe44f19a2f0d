import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { isAppError } from './errors.js';

describe('loadConfig', () => {
  it('has safe defaults: the embedded model and a local cache folder', () => {
    const config = loadConfig({});
    expect(config.model).toEqual({ id: 'use-lite', source: 'embedded', queryPrefix: '', passagePrefix: '', pooling: 'mean' });
    expect(config.modelCacheDir).toBe(resolve('.cache/models'));
    expect(config.modelHubUrl).toBeUndefined();
    expect(config.embedBatchSize).toBe(32);
  });

  it('lets /article add reach only public hosts unless FETCH_ALLOWED_HOSTS lists others, within 15 s by default', () => {
    expect(loadConfig({}).fetch).toEqual({ allowedHosts: [], timeoutMs: 15_000 });
    const set = loadConfig({ FETCH_ALLOWED_HOSTS: 'mirror.local, 127.0.0.1:8080', FETCH_TIMEOUT_SECONDS: '5' }).fetch;
    expect(set).toEqual({ allowedHosts: [{ host: 'mirror.local', port: undefined }, { host: '127.0.0.1', port: 8080 }], timeoutMs: 5_000 });
    expect(() => loadConfig({ FETCH_ALLOWED_HOSTS: 'https://mirror.local/' })).toThrow(/FETCH_ALLOWED_HOSTS: "https:\/\/mirror.local\/" is not host\[:port\]/);
    expect(loadConfig({}).dataDir).toBe(resolve('data'));
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ EMBEDDING_MODEL: ' ', EMBED_BATCH_SIZE: '' }).model.id).toBe('use-lite');
  });

  it('knows the prefixes and pooling of registered hub models, and lets settings override them', () => {
    const bge = loadConfig({ EMBEDDING_MODEL: 'Xenova/bge-small-en-v1.5' }).model;
    expect(bge).toMatchObject({ source: 'hub', queryPrefix: 'Represent this sentence for searching relevant passages: ', pooling: 'cls' });
    const e5 = loadConfig({ EMBEDDING_MODEL: 'Xenova/e5-small-v2', PASSAGE_PREFIX: 'doc: ' }).model;
    expect(e5).toMatchObject({ queryPrefix: 'query: ', passagePrefix: 'doc: ' });
    const unknown = loadConfig({ EMBEDDING_MODEL: 'someone/some-model', QUERY_PREFIX: 'q: ' }).model;
    expect(unknown).toEqual({ id: 'someone/some-model', source: 'hub', queryPrefix: 'q: ', passagePrefix: '', pooling: 'mean' });
  });

  it('reads the /reindex role allowlist and the /ask cooldown, with the cooldown on by default', () => {
    expect(loadConfig({}).discord).toMatchObject({ adminRoleIds: [], askCooldownSeconds: 5 });
    const set = loadConfig({ ADMIN_ROLE_IDS: ' 123456789012345678 ,223456789012345678,', ASK_COOLDOWN_SECONDS: '0' }).discord;
    expect(set).toMatchObject({ adminRoleIds: ['123456789012345678', '223456789012345678'], askCooldownSeconds: 0 });
    expect(() => loadConfig({ ADMIN_ROLE_IDS: '123456789012345678,admins' })).toThrow(/ADMIN_ROLE_IDS: "admins" is not a role id/);
    expect(() => loadConfig({ ASK_COOLDOWN_SECONDS: '-1' })).toThrow(/ASK_COOLDOWN_SECONDS/);
  });

  it('takes TOTAL_SHARDS as a positive whole number, unset meaning Discord\'s recommendation', () => {
    expect(loadConfig({}).discord.totalShards).toBeUndefined();
    expect(loadConfig({ TOTAL_SHARDS: ' ' }).discord.totalShards).toBeUndefined();
    expect(loadConfig({ TOTAL_SHARDS: '4' }).discord.totalShards).toBe(4);
    for (const bad of ['0', '-2', '1.5', 'two']) expect(() => loadConfig({ TOTAL_SHARDS: bad }), bad).toThrow(/TOTAL_SHARDS: must be a whole number of shards from 1/);
  });

  it('leaves model threads to ONNX Runtime unless MODEL_THREADS is set, and caps the interactions in flight at 256 unless told', () => {
    expect(loadConfig({}).modelThreads).toBeUndefined();
    expect(loadConfig({ MODEL_THREADS: '0' }).modelThreads).toBeUndefined();
    expect(loadConfig({ MODEL_THREADS: '1' }).modelThreads).toBe(1);
    expect(loadConfig({}).discord.maxInFlight).toBe(256);
    expect(loadConfig({ MAX_IN_FLIGHT: '1000' }).discord.maxInFlight).toBe(1000);
    expect(() => loadConfig({ MODEL_THREADS: '-1' })).toThrow(/MODEL_THREADS/);
    expect(() => loadConfig({ MAX_IN_FLIGHT: '0' })).toThrow(/MAX_IN_FLIGHT/);
  });

  it('rejects invalid values with one message naming each setting', () => {
    const failure = (() => {
      try {
        return loadConfig({ EMBED_BATCH_SIZE: 'lots', MODEL_HUB_URL: 'ftp://mirror' });
      } catch (error) {
        return error;
      }
    })();
    expect(isAppError(failure, 'CONFIG_INVALID')).toBe(true);
    expect((failure as Error).message).toMatch(/EMBED_BATCH_SIZE/);
    expect((failure as Error).message).toMatch(/MODEL_HUB_URL/);
    expect((failure as Error).message).toMatch(/\.env\.example/);
  });
});
