import type { Bundle } from 'zapier-platform-core';

export const BASE_URL = 'https://connector.example.com';

export const authData = { appId: 'app_test123', appToken: 'cct_test-token-0123456789', baseUrl: BASE_URL };

/** A bundle as Zapier passes it to a perform: the connection's authData plus whatever the step gives. */
export const bundleWith = (extra: Partial<Bundle> & Record<string, unknown> = {}): Partial<Bundle> => ({
  ...extra,
  authData: { ...authData, ...(extra.authData ?? {}) },
  inputData: extra.inputData ?? {},
});
