import type { Bundle, ZObject } from 'zapier-platform-core';
import type { EndpointName, ResponseOf } from '../contract/index.js';
import { MAX_PAGE_SIZE } from '../contract/paging.js';
import { callConnector } from './connector.js';

type PagedEndpoint = { [N in EndpointName]: ResponseOf<N> extends { data: unknown[]; nextCursor: string | null } ? N : never }[EndpointName];
type ItemOf<N extends PagedEndpoint> = ResponseOf<N> extends { data: (infer T)[] } ? T : never;

/** The most records a search that returns many gives back: one page of the connector. */
export const SEARCH_RESULT_CAP = MAX_PAGE_SIZE;

export interface FindManyOptions {
  query: Record<string, string | number | undefined>;
  /** What the search does, for error messages: "find tickets". */
  action: string;
  fieldLabels: Record<string, string>;
  /** What is found, plural: "tickets". */
  nouns: string;
  /** The order results come in: "newest first". */
  order: string;
  /** The inputs that narrow the search, by their labels. */
  narrowBy: string;
}

/** The sentence a capped search logs: how many it returns, which ones, and how to get the others. */
export const cappedStatement = ({ nouns, order, narrowBy }: Pick<FindManyOptions, 'nouns' | 'order' | 'narrowBy'>) =>
  `More than ${SEARCH_RESULT_CAP} ${nouns} match: this step returns the first ${SEARCH_RESULT_CAP} (${order}). To reach the others, narrow the search by ${narrowBy}.`;

/**
 * A search that can return many records (line items): one page of the connector's list
 * endpoint, at most SEARCH_RESULT_CAP records, [] when nothing matches. When more match, it
 * says so in the step's log, with how to narrow the search.
 */
export async function findMany<N extends PagedEndpoint>(z: ZObject, bundle: Bundle, endpoint: N, options: FindManyOptions): Promise<ItemOf<N>[]> {
  const found = (await callConnector(z, bundle, endpoint, {
    query: { ...options.query, limit: SEARCH_RESULT_CAP },
    action: options.action,
    fieldLabels: options.fieldLabels,
    notFoundIsEmpty: true,
  })) as { data: ItemOf<N>[]; nextCursor: string | null } | null;
  if (!found) return [];
  if (found.nextCursor) z.console.log(cappedStatement(options));
  return found.data;
}
