import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import type { Me } from './contract/index.js';
import { callConnector } from './lib/connector.js';

const whereToFind =
  'In the contact centre, open [Administration > Service Integration > Third-party Integration > Zapier](https://github.com/contact-centre/zapier#connect-a-zapier-account)';

/** The auth test: one call that proves the three fields work together. */
const test = async (z: ZObject, bundle: Bundle): Promise<Me> => callConnector(z, bundle, 'me', { action: 'check the connection' });

export default {
  type: 'custom',
  fields: [
    {
      key: 'appId',
      label: 'App ID',
      required: true,
      type: 'string',
      isNoSecret: true,
      helpText: `${whereToFind}, add a Zapier account (or open an existing one) and copy its **App ID**.`,
    },
    {
      key: 'appToken',
      label: 'App Token',
      required: true,
      type: 'password',
      helpText: `${whereToFind} and copy the **App Token** shown when the account was added or its token regenerated. It is shown only once.`,
    },
    {
      key: 'baseUrl',
      label: 'Base URL',
      required: true,
      type: 'string',
      isNoSecret: true,
      placeholder: 'https://connector.example.com',
      helpText: `${whereToFind} and copy the **Base URL**: the address of your contact centre connector. It must start with https:// ([why](https://github.com/contact-centre/zapier#base-url)).`,
    },
  ],
  test,
  // A template, not a function: Zapier renders it from the test's answer, and so does
  // `zapier-platform invoke auth label` (the CLI cannot run a function label).
  connectionLabel: '{{bundle.inputData.account.name}} ({{bundle.inputData.workspace.name}})',
} satisfies Authentication;
