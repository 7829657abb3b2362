import type { FastifyRequest } from 'fastify';
import { hashSecret, secretMatches } from './secrets.js';

/** The token of an `Authorization: Bearer <token>` header, or null when there is none or it is malformed. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([\x21-\x7e]{1,512})$/i.exec(header.trim());
  return match?.[1] ?? null;
}

/** A check that a request presents this token as its Bearer token, compared in constant time. */
export function presentsBearer(token: string): (request: FastifyRequest) => boolean {
  const hash = hashSecret(token);
  return (request) => {
    const presented = bearerToken(request);
    return presented !== null && secretMatches(presented, hash);
  };
}
