import { createHash, timingSafeEqual } from 'node:crypto';
import { randomSecret } from '../ids.js';

/**
 * sha256 of a secret, hex. App Tokens and generated admin tokens carry 256 random bits, so a
 * fast hash is enough: there is nothing to brute-force (unlike passwords, see agents.ts).
 */
export const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Compares two hex hashes in constant time (both are sha256 digests, so lengths match). */
export function sameHash(a: string, b: string | null | undefined): boolean {
  if (!b) return false;
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Does this presented secret hash to the stored hash? */
export const secretMatches = (presented: string, storedHash: string | null | undefined) => sameHash(hashSecret(presented), storedHash);

/** A new App Token: 32 random bytes, with a prefix that makes it recognisable in leaked-secret scans. */
export const newAppToken = () => `cct_${randomSecret(32)}`;

/** A new admin token, for when ADMIN_TOKEN is not set. */
export const newAdminToken = () => `cca_${randomSecret(32)}`;
