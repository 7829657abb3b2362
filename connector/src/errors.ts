import type { errorCodes } from '../../contract/index.js';

export type ErrorCode = (typeof errorCodes)[number];
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A failure the caller can act on. Thrown anywhere below a route; the one error handler
 * (http/error-handler.ts) turns it into `{"error": {...}}` with its status.
 */
export class ApiFailure extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** 404 naming what was not found: notFound('contact', 'ctc_1') → 'No contact with id "ctc_1" exists.' */
export const notFound = (what: string, id: string, key = 'id') => new ApiFailure(404, 'not_found', `No ${what} with ${key} "${id}" exists in this workspace.`);

/** 409: the request is well-formed but the record's state does not allow it. */
export const conflict = (message: string) => new ApiFailure(409, 'conflict', message);

/** 400 about one field of the request, for rules the contract's schemas cannot express. */
export const invalidField = (field: string, message: string) =>
  new ApiFailure(400, 'validation_failed', `The request is not valid: ${field} ${message}.`, [{ field, message }]);
