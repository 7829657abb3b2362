import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

const base32 = (bytes: Uint8Array) => Array.from(bytes, (b) => ALPHABET[b & 31]).join('');

/**
 * A new id such as "evt_01jd2c0a1k9xq4m2": a time part that sorts in creation order
 * (milliseconds, 10 chars) and 12 random chars, behind a prefix that says what it names.
 */
export function newId(prefix: string, now = Date.now()): string {
  const time = now.toString(32).padStart(10, '0');
  return `${prefix}_${time}${base32(randomBytes(12))}`;
}

/** An unguessable secret of `bytes` random bytes, base64url. */
export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
