/**
 * Paging of the connector's list endpoints, as plain values (no zod) so the Zapier app can use
 * them at run time cheaply. A list answers `{ data, nextCursor }`; `nextCursor` (null on the
 * last page) is passed back as `cursor` for the next page. Cursors are opaque and keyset-based
 * (they hold the position after the last record of the page, on an order no change moves a
 * record in), so records added while someone pages never make another appear twice or go missing.
 */
export const MAX_PAGE_SIZE = 100;
/** What `limit` is when a request does not give it. */
export const DEFAULT_PAGE_SIZE = 100;
