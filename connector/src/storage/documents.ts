/** Stored documents are JSON text on both databases. */
export const toDocument = (value: unknown) => JSON.stringify(value);
export const fromDocument = <T>(text: string) => JSON.parse(text) as T;

/** Times are stored as ISO 8601 text in UTC (toISOString), which sorts and compares as text. */
export const nowIso = () => new Date().toISOString();
