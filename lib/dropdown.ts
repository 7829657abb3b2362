import { defineTrigger, type Bundle, type PollingTriggerPerform, type ZObject } from 'zapier-platform-core';
import type { EndpointName, ResponseOf } from '../contract/index.js';
import { MAX_PAGE_SIZE } from '../contract/paging.js';
import { callConnector } from './connector.js';

type ListEndpoint = { [N in EndpointName]: ResponseOf<N> extends { data: unknown[]; nextCursor: string | null } ? N : never }[EndpointName];
type ItemOf<N extends ListEndpoint> = ResponseOf<N> extends { data: (infer T)[] } ? T : never;

export interface DropdownSpec<N extends ListEndpoint> {
  key: string;
  noun: string;
  endpoint: N;
  /** Query built from the inputs of the action the dropdown sits in (e.g. the chosen number type). */
  query?: (inputData: Record<string, unknown>) => Record<string, string | undefined>;
  /** Each choice needs a string `id` and a readable `name`. */
  toChoice: (item: ItemOf<N>) => { id: string; name: string } & Record<string, unknown>;
  sample: { id: string; name: string } & Record<string, unknown>;
}

/** How many choices one "Load more" of a dropdown brings (the connector's largest page). */
export const DROPDOWN_PAGE_SIZE = MAX_PAGE_SIZE;

/**
 * What z.cursor keeps once the last page was shown. Not empty: an empty string may come back
 * from z.cursor.get as null. Connector cursors are base64url, which has no parentheses.
 */
export const LAST_PAGE_SHOWN = '(end)';

/**
 * Where page `page` of a dropdown starts: page 0 at the beginning; later pages where the last
 * one ended, as kept with z.cursor; null when the last page was already shown.
 */
async function startOf(z: ZObject, page: number, noun: string): Promise<{ cursor?: string } | null> {
  if (page === 0) return {};
  const kept = await z.cursor.get();
  if (kept === LAST_PAGE_SHOWN) return null;
  if (!kept) {
    throw new z.errors.Error(
      `Zapier no longer remembers where the list of ${noun} stopped (it keeps that for about an hour). Refresh the field to list them from the start.`,
      'CursorExpired',
    );
  }
  return { cursor: kept };
}

/**
 * A hidden trigger that feeds a dynamic dropdown ("trigger.id.name"), a page at a time:
 * Zapier asks for page 0 first and for 1, 2, ... on "Load more" (canPaginate).
 */
export function dropdownTrigger<N extends ListEndpoint>(spec: DropdownSpec<N>) {
  const nouns = `${spec.noun.toLowerCase()}s`;
  const perform = (async (z: ZObject, bundle: Bundle) => {
    const start = await startOf(z, Number(bundle.meta?.page ?? 0), nouns);
    if (!start) return [];
    const { data, nextCursor } = (await callConnector(z, bundle, spec.endpoint, {
      query: { ...spec.query?.(bundle.inputData), limit: DROPDOWN_PAGE_SIZE, cursor: start.cursor },
      action: `list ${nouns}`,
    })) as { data: ItemOf<N>[]; nextCursor: string | null };
    await z.cursor.set(nextCursor ?? LAST_PAGE_SHOWN);
    return data.map(spec.toChoice);
  }) satisfies PollingTriggerPerform;

  return defineTrigger({
    key: spec.key,
    noun: spec.noun,
    display: {
      label: `List ${spec.noun}s`,
      description: `Lists ${nouns} for a dropdown.`,
      hidden: true,
    },
    operation: { type: 'polling', perform, canPaginate: true, sample: spec.sample },
  });
}

/** The `dynamic` reference of a dropdown trigger: "key.id.name". */
export const dropdownOf = (trigger: { key: string }) => `${trigger.key}.id.name`;
