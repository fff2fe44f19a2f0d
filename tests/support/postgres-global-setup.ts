/**
 * @module postgres-global-setup: vitest globalSetup that starts ONE throwaway PostgreSQL server for the
 * whole run and provides its admin URL to the tests as `inject('databaseUrl')`. Tests call
 * `freshDatabase()` (./postgres.ts) for a database of their own, so test files can run in parallel.
 */
import type { TestProject } from 'vitest/node';
import { type ThrowawayPostgres, startThrowawayPostgres } from '../../scripts/postgres/cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the run's throwaway server (postgres://postgres@127.0.0.1:PORT/postgres). */
    databaseUrl: string;
  }
}

/**
 * Vitest runs a globalSetup once per project that has tests queued (and a root-level entry runs for the
 * root project and again for every `extends: true` project), each time through a fresh module instance.
 * All of them run in the one main Vitest process, though, so a process-wide slot lets every project
 * share one server; the last teardown stops it.
 */
interface Shared {
  postgres: Promise<ThrowawayPostgres>;
  users: number;
}
const slot = Symbol.for('story-qa-bot/postgres-global-setup');
const registry = globalThis as unknown as Record<symbol, Shared | undefined>;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // DEBUG_POSTGRES=1 shows initdb/start progress and timing; silent otherwise, like the rest of the run.
  const log = process.env.DEBUG_POSTGRES ? (line: string) => process.stderr.write(`[postgres] ${line}\n`) : undefined;
  const shared = (registry[slot] ??= { postgres: startThrowawayPostgres({ log }), users: 0 });
  shared.users += 1;
  let postgres: ThrowawayPostgres;
  try {
    postgres = await shared.postgres;
  } catch (error) {
    // Forget the failed start, so that a rerun in watch mode tries again.
    if (--shared.users === 0 && registry[slot] === shared) registry[slot] = undefined;
    throw error;
  }
  project.provide('databaseUrl', postgres.url);
  return async () => {
    if (--shared.users > 0) return;
    registry[slot] = undefined;
    await postgres.stop();
  };
}
