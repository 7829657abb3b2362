import { ApiError } from '../../../contract/index.js';

/** Every route answers its errors in one shape (http/error-handler.ts): declared once for OpenAPI. */
export const errorResponses = { '4XX': ApiError, '5XX': ApiError };

/** OpenAPI for the admin API's routes: their tag and the admin token they require. */
export const adminRouteDoc = { tags: ['admin'], security: [{ adminToken: [] }] };
