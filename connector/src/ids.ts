import { randomBytes, randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

// Random bytes are drawn 4 KiB at a time: a call to the system's generator per id cost more
// than the rest of making the id (the worker makes one per attempt).
const pool = Buffer.alloc(4096);
let used = pool.length;

/** `count` random base32 characters. */
function randomChars(count: number): string {
  if (used + count > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  let text = '';
  for (let i = 0; i < count; i++) text += ALPHABET[pool[used + i]! & 31];
  used += count;
  return text;
}

/**
 * A new id such as "evt_01jd2c0a1k9xq4m2": a time part that sorts in creation order
 * (milliseconds, 10 chars) and 12 random chars, behind a prefix that says what it names.
 */
export function newId(prefix: string, now = Date.now()): string {
  const time = now.toString(32).padStart(10, '0');
  return `${prefix}_${time}${randomChars(12)}`;
}

/** An unguessable secret of `bytes` random bytes, base64url. */
export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
