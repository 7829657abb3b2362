import { ApiError } from '../../../contract/index.js';

/** Every route answers its errors in one shape (http/error-handler.ts): declared once for OpenAPI. */
export const errorResponses = { '4XX': ApiError, '5XX': ApiError };

/** OpenAPI tags and security of a group of routes. */
export interface RouteDoc {
  tags: string[];
  security: Array<Record<string, string[]>>;
}

/** OpenAPI for a group of the admin API's routes: its tag, and the admin token they require. */
export const adminDoc = (group: string): RouteDoc => ({ tags: [`admin: ${group}`], security: [{ adminToken: [] }] });
