/**
 * @module postgres (tests): a database of its own for a test file, on the server that
 * ./postgres-global-setup.ts starts once per run (it also declares the `databaseUrl` typing).
 */
import { inject } from 'vitest';
import { createDatabase } from '../../scripts/postgres/cluster.js';

/** Creates a uniquely named, empty database and returns its URL; call it in beforeAll (or per test). */
export async function freshDatabase(prefix = 'test'): Promise<string> {
  // inject() returns undefined when the globalSetup is not wired into this vitest project.
  const adminUrl: string | undefined = inject('databaseUrl');
  if (!adminUrl) {
    throw new Error("no PostgreSQL for this test: add 'tests/support/postgres-global-setup.ts' to this project's globalSetup in vitest.config.ts");
  }
  return createDatabase(adminUrl, prefix);
}
