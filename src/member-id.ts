/**
 * @module member-id: member ids are never stored in clear. A keyed hash (HMAC-SHA-256, the key made
 * once and kept in DATA_DIR, or in the shared database so every replica hashes alike) still tells one
 * member's records apart from another's without saying who they are; without the key, trying every
 * id cannot reverse it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const KEY_FILE = 'member-key';
const KEY_BYTES = 32;

export type MemberHasher = (memberId: string) => string;

async function readKey(path: string): Promise<Buffer | undefined> {
  try {
    const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'hex');
    if (key.byteLength < 16) throw new Error(`${path} does not hold a key; delete it to make a new one`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The key in DATA_DIR, made on first use; two processes starting at once end up with the same one. */
export async function fileMemberKey(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, KEY_FILE);
  const existing = await readKey(path);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(temporary, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { mode: 0o600 });
  try {
    await link(temporary, path); // fails if another process made the key first; theirs wins
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  const key = await readKey(path);
  if (!key) throw new Error(`${path} could not be created`);
  return key;
}

/** A fresh random key, for a store to keep if it has none. */
export function newMemberKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function memberHasher(key: Buffer): MemberHasher {
  return (memberId) => `hmac-sha256:${createHmac('sha256', key).update(memberId).digest('hex').slice(0, 32)}`;
}
