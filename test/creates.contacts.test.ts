import { contactRecordSample, updatedContactRecordSample } from '../contract/index.js';
import App from '../index.js';
import { connector, failureOf, run, useNock } from './support/connector.js';

useNock();

const apiError = (code: string, message: string, extra: object = {}) => ({ error: { code, message, ...extra } });

describe('Create Contact', () => {
  it('posts only the filled-in contact fields, trimmed, and returns the record', async () => {
    const inputData = {
      first_name: '  Mei ',
      last_name: 'Chan',
      level: 'gold',
      phone_type: 'mobile',
      phone_number: ' +85291234567 ',
      email_type: 'work',
      email_address: 'mei.chan@example.com',
      company: '',
      job_title: '   ',
      birth_date: '1990-04-18',
      country: 'HK',
      notAField: 'ignored',
    };
    const body = {
      first_name: 'Mei',
      last_name: 'Chan',
      level: 'gold',
      phone_type: 'mobile',
      phone_number: '+85291234567',
      email_type: 'work',
      email_address: 'mei.chan@example.com',
      birth_date: '1990-04-18',
      country: 'HK',
    };
    connector().post('/v1/contacts', body).reply(201, contactRecordSample);
    await expect(run('creates', 'createContact', inputData)).resolves.toEqual(contactRecordSample);
  });

  it('sends every contact field the form offers under its own key', async () => {
    const all = {
      first_name: 'Mei',
      last_name: 'Chan',
      level: 'vip',
      type: 'customer',
      phone_type: 'work',
      phone_number: '+85221234567',
      email_type: 'personal',
      email_address: 'mei@example.com',
      company: 'Harbour Foods Ltd',
      job_title: 'Buyer',
      team: 'Procurement',
      group: 'Wholesale',
      language: 'en',
      birth_date: '1990-04-18',
      zip_code: '000000',
      street: '18 Harbour Road',
      city: 'Wan Chai',
      state: 'Hong Kong Island',
      country: 'HK',
      social_messaging_type: 'whatsApp',
      social_messaging_name_id: '+85291234567',
    };
    connector().post('/v1/contacts', all).reply(201, contactRecordSample);
    await expect(run('creates', 'createContact', all)).resolves.toEqual(contactRecordSample);
  });
});

describe('Create Contact with what Zapier maps', () => {
  it.each([
    ['1990-04-18T00:00:00+08:00', '1990-04-18'],
    ['1990-04-18T23:30:00-05:00', '1990-04-18'],
    ['1990-04-18T00:00:00Z', '1990-04-18'],
    ['1990-04-18T00:00:00.000Z', '1990-04-18'],
    ['1990-04-18', '1990-04-18'],
    ['18/04/1990', '18/04/1990'],
  ])("sends the Birth Date %s (a datetime field: ISO-8601 in the Zap's time zone) as the calendar date %s", async (mapped, sent) => {
    connector().post('/v1/contacts', { first_name: 'Mei', birth_date: sent }).reply(201, contactRecordSample);
    await expect(run('creates', 'createContact', { first_name: 'Mei', birth_date: mapped })).resolves.toEqual(contactRecordSample);
  });

  it('sends a phone and an email without their types, and a phone as typed (the connector reads it as E.164)', async () => {
    const body = { first_name: 'Mei', phone_number: '+852 9123 4567', email_address: 'mei@example.com' };
    connector()
      .post('/v1/contacts', body)
      .reply(201, { ...contactRecordSample, phone_type: 'mobile', phone_number: '+85291234567', email_type: 'work', email_address: 'mei@example.com' });
    await expect(run('creates', 'createContact', { ...body, phone_type: '', email_type: '' })).resolves.toMatchObject({
      phone_type: 'mobile',
      phone_number: '+85291234567',
      email_type: 'work',
    });
  });

  it('names a refused phone number or birth date by its label', async () => {
    connector()
      .post('/v1/contacts', { first_name: 'Mei', phone_number: 'call me' })
      .reply(400, apiError('validation_failed', 'invalid', { details: [{ field: 'phone_number', message: 'must be a phone number such as +85291234567' }] }));
    expect((await failureOf(run('creates', 'createContact', { first_name: 'Mei', phone_number: 'call me' }))).message).toBe(
      'Could not create the contact: Phone Number (phone_number) must be a phone number such as +85291234567.',
    );
    connector()
      .post('/v1/contacts', { first_name: 'Mei', birth_date: 'someday' })
      .reply(400, apiError('validation_failed', 'invalid', { details: [{ field: 'birth_date', message: 'Invalid ISO date' }] }));
    expect((await failureOf(run('creates', 'createContact', { first_name: 'Mei', birth_date: 'someday' }))).message).toContain(
      'Birth Date (birth_date) Invalid ISO date',
    );
  });

  it('offers Birth Date as a datetime field and states each default and rule in the help text', () => {
    for (const key of ['createContact', 'updateContact'] as const) {
      const fields = App.creates![key]!.operation.inputFields as { key: string; type?: string; helpText?: string }[];
      const field = (k: string) => fields.find((f) => f.key === k)!;
      expect(field('birth_date')).toMatchObject({ type: 'datetime', helpText: expect.stringContaining("Zap's time zone") });
      expect(field('phone_type').helpText).toContain('Left empty: Mobile');
      expect(field('email_type').helpText).toContain('Left empty: Work');
      expect(field('phone_number').helpText).toMatch(/\+852 9123 4567.*without a country code/);
    }
  });
});

describe('Create Contact with mapped choices', () => {
  it('sends a choice mapped by its label or in another case as its value', async () => {
    const body = {
      first_name: 'Mei',
      level: 'vip',
      type: 'partner',
      phone_type: 'home',
      phone_number: '21234567',
      email_type: 'personal',
      email_address: 'mei@example.com',
      social_messaging_type: 'whatsApp',
      social_messaging_name_id: 'mei',
    };
    connector().post('/v1/contacts', body).reply(201, contactRecordSample);
    const inputData = { ...body, level: 'VIP', type: 'Partner', phone_type: 'HOME', email_type: 'Personal', social_messaging_type: 'whatsapp' };
    await expect(run('creates', 'createContact', inputData)).resolves.toEqual(contactRecordSample);
  });

  it.each([
    [
      'createContact',
      { first_name: 'Mei', level: 'Platinum' },
      'Could not create the contact: Level must be one of VIP, Gold, Silver, Regular; got "Platinum".',
    ],
    [
      'updateContact',
      { contact_id: 'ctc_1', social_messaging_type: 'Telegram' },
      'Could not update the contact: Social Messaging Type must be one of Facebook, WhatsApp, WeChat, Line, Twitter, LinkedIn; got "Telegram".',
    ],
  ])('%s refuses %j before any request, naming the field and its choices', async (key, inputData, message) => {
    const failure = await failureOf(run('creates', key, inputData));
    expect(failure).toMatchObject({ name: 'AppError', code: 'InvalidInput', message });
  });

  it('shows the choices as a person writes them', () => {
    const fields = App.creates!.createContact!.operation.inputFields as { key: string; choices?: Record<string, string> }[];
    expect(fields.find((f) => f.key === 'level')!.choices).toMatchObject({ vip: 'VIP' });
    expect(fields.find((f) => f.key === 'social_messaging_type')!.choices).toMatchObject({ whatsApp: 'WhatsApp', weChat: 'WeChat', linkedin: 'LinkedIn' });
  });
});

describe('Update Contact', () => {
  it('PATCHes /v1/contacts/:id with only the changed fields (not the id) and returns the updated record', async () => {
    connector().patch('/v1/contacts/ctc_4QmT8s', { level: 'vip', email_type: 'work', email_address: 'mei@example.com' }).reply(200, updatedContactRecordSample);
    const inputData = { contact_id: ' ctc_4QmT8s ', level: 'vip', email_type: 'work', email_address: 'mei@example.com', first_name: '', city: '  ' };
    await expect(run('creates', 'updateContact', inputData)).resolves.toEqual(updatedContactRecordSample);
  });

  it('URL-encodes the contact id', async () => {
    connector().patch('/v1/contacts/ctc%2F1%3Fx', { last_name: 'Chan' }).reply(200, updatedContactRecordSample);
    await expect(run('creates', 'updateContact', { contact_id: 'ctc/1?x', last_name: 'Chan' })).resolves.toEqual(updatedContactRecordSample);
  });

  it('sends a mapped Birth Date as its calendar date, and a phone without its type', async () => {
    connector().patch('/v1/contacts/ctc_4QmT8s', { phone_number: '9123-4567', birth_date: '1985-02-03' }).reply(200, updatedContactRecordSample);
    await expect(
      run('creates', 'updateContact', { contact_id: 'ctc_4QmT8s', phone_number: '9123-4567', birth_date: '1985-02-03T00:00:00+08:00' }),
    ).resolves.toEqual(updatedContactRecordSample);
  });
});
