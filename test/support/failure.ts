/** What a rejected operation failed with; Zapier's Error and ThrottledError carry JSON in `message`. */
export interface Failure {
  name: string;
  message: string;
  code?: string;
  status?: number;
  delay?: number;
  error: Error;
}

/** Awaits an operation that must fail, and answers how (failing the test if it succeeded). */
export async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (caught) {
    const error = caught as Error;
    let details: Partial<Failure> = {};
    if (error.message.startsWith('{')) {
      try {
        details = JSON.parse(error.message) as Partial<Failure>;
      } catch {
        // not one of Zapier's JSON messages
      }
    }
    return { name: error.name, message: error.message, ...details, error };
  }
  throw new Error('expected the operation to fail, but it succeeded');
}
