import type { HttpResponse, ZObject } from 'zapier-platform-core';
import type { ApiError } from '../contract/index.js';

/** What the failed call was about, so messages can speak of it. */
export interface CallContext {
  /** e.g. "send the SMS", "find the contact" */
  action: string;
  /** Request keys → the labels the user saw in Zapier, to name fields the way the form does. */
  fieldLabels?: Record<string, string>;
  baseUrl: string;
}

const errorBody = (response: HttpResponse): ApiError['error'] | undefined => {
  const data = response.data as Partial<ApiError> | undefined;
  return data && typeof data === 'object' && data.error && typeof data.error.message === 'string' ? data.error : undefined;
};

const describeDetails = (error: ApiError['error'], labels: Record<string, string> = {}) =>
  (error.details ?? [])
    .map(({ field, message }) => {
      const label = labels[field] ?? labels[field.split('.')[0] ?? ''];
      return label ? `${label} (${field}) ${message}` : `${field} ${message}`;
    })
    .join('; ');

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * Turns a connector answer that is not a success into the Zapier error a user can act on.
 * Never lets a raw "Got 401 calling ..." through.
 */
export function errorFor(z: ZObject, response: HttpResponse, context: CallContext): Error {
  const error = errorBody(response);
  const requestId = error?.requestId ?? response.getHeader('x-request-id') ?? undefined;
  const status = response.status;

  if (status === 401) {
    if (error?.code === 'credentials_revoked') {
      return new z.errors.ExpiredAuthError(
        'This App Token no longer works: it was regenerated, or its Zapier account was deleted, in the contact centre. ' +
          'Reconnect with the App ID and App Token shown under Administration > Service Integration > Third-party Integration > Zapier.',
      );
    }
    return new z.errors.Error(
      `The contact centre did not accept this App ID and App Token (${error?.message ?? 'unknown credentials'}). ` +
        'Copy both again from Administration > Service Integration > Third-party Integration > Zapier, and check the Base URL.',
      'AuthenticationError',
      401,
    );
  }
  if (status === 429) {
    const retryAfter = Number.parseInt(response.getHeader('retry-after') ?? '', 10);
    const delay = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : 60;
    return new z.errors.ThrottledError(
      `${sentence(error?.message ?? 'This connection made too many calls to the contact centre')} Zapier will try again in ${delay} seconds.`,
      delay,
    );
  }
  if (status >= 500) {
    return new z.errors.Error(
      `The contact centre connector failed while trying to ${context.action} (HTTP ${status}` +
        `${requestId ? `, request id ${requestId}` : ''}). Try again later; if it keeps failing, give the request id to your administrator.`,
      'ConnectorError',
      status,
    );
  }
  if (status === 400 || status === 422) {
    const details = error ? describeDetails(error, context.fieldLabels) : '';
    return new z.errors.Error(sentence(`Could not ${context.action}: ${details || error?.message || 'the request was not valid'}`), 'InvalidInput', status);
  }
  if (status === 404) {
    return new z.errors.Error(
      sentence(`Could not ${context.action}: ${error?.message ?? 'it does not exist in the contact centre (it may have been deleted)'}`),
      'NotFound',
      status,
    );
  }
  if (status === 403 || status === 409) {
    return new z.errors.Error(
      sentence(
        `Could not ${context.action}: ${error?.message ?? (status === 403 ? 'this Zapier account may not do that' : 'it conflicts with the current state')}`,
      ),
      status === 403 ? 'Forbidden' : 'Conflict',
      status,
    );
  }
  return new z.errors.Error(
    `The contact centre answered HTTP ${status} while trying to ${context.action}, which this app does not expect. Check that the Base URL (${context.baseUrl}) points at the connector.`,
    'UnexpectedResponse',
    status,
  );
}
