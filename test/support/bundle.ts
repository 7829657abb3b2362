import type { Bundle } from 'zapier-platform-core';

export const BASE_URL = 'https://connector.example.com';

export const authData = { appId: 'app_test123', appToken: 'cct_test-token-0123456789', baseUrl: BASE_URL };

/** A bundle as Zapier passes it to a perform: the connection's authData plus whatever the step gives. */
export const bundleWith = (extra: Partial<Bundle> & Record<string, unknown> = {}): Partial<Bundle> => ({
  ...extra,
  authData: { ...authData, ...(extra.authData ?? {}) },
  inputData: extra.inputData ?? {},
});

/**
 * The connection label as Zapier shows it: its `{{bundle.inputData.a.b}}` placeholders filled from
 * the auth test's answer (the CLI's invoke renders it the same way). A placeholder naming nothing fails.
 */
export function renderConnectionLabel(template: string, testAnswer: object): string {
  return template.replace(/{{\s*bundle\.inputData\.([\w.]+)\s*}}/g, (placeholder, path: string) => {
    const value = path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], testAnswer);
    if (typeof value !== 'string') throw new Error(`${placeholder} names no text in the auth test's answer`);
    return value;
  });
}
