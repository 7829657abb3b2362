import zapier from 'zapier-platform-core';
import App from '../index.js';

type Validator = (event: object, ctx: object) => Promise<{ results: unknown[] }>;
const validate = async (app: unknown) =>
  (await (zapier as unknown as { createAppHandler: (app: unknown) => Validator }).createAppHandler(app)({ command: 'validate', calledFromCli: true }, {}))
    .results;

describe('the app definition', () => {
  it("passes Zapier's own schema validation", async () => {
    expect(await validate(App)).toEqual([]);
  });

  it('would report a broken definition (the check above can fail)', async () => {
    const broken = { ...App, triggers: { ...App.triggers, enquiryCreated: { ...App.triggers.enquiryCreated, noun: undefined } } };
    expect((await validate(broken)).length).toBeGreaterThan(0);
  });
});
