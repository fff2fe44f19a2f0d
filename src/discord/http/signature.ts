/**
 * @module signature: Discord signs every interaction it POSTs with the application's Ed25519 key
 * over `X-Signature-Timestamp` + the raw body; anything not so signed, or signed too long ago (a
 * replay), is refused before its body is read as JSON.
 */
import { type KeyObject, createPublicKey, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A signature older (or further in the future) than this is refused as a possible replay. */
export const SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

const HEX_KEY = /^[0-9a-f]{64}$/i;
const HEX_SIGNATURE = /^[0-9a-f]{128}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

/** The application's public key as the Developer Portal shows it (64 hex digits), or an error naming the setting. */
export function interactionKey(publicKeyHex: string): KeyObject {
  if (!HEX_KEY.test(publicKeyHex)) throw new Error('DISCORD_PUBLIC_KEY must be the 64 hex digits the Developer Portal shows as "Public Key".');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKeyHex, 'hex').toString('base64url') }, format: 'jwk' });
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

/** Whether Discord signed this body at a time close to `nowMs`. */
export function checkSignature(key: KeyObject, headers: IncomingHttpHeaders, body: Buffer, nowMs = Date.now()): SignatureCheck {
  const signature = headers['x-signature-ed25519'];
  const timestamp = headers['x-signature-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return { valid: false, reason: 'missing signature headers' };
  if (!HEX_SIGNATURE.test(signature) || !UNIX_SECONDS.test(timestamp)) return { valid: false, reason: 'malformed signature headers' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_MAX_AGE_SECONDS) return { valid: false, reason: 'stale timestamp' };
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  return verify(null, signed, key, Buffer.from(signature, 'hex')) ? { valid: true } : { valid: false, reason: 'wrong signature' };
}
