import { contactRecordSample, updatedContactRecordSample } from '../contract/index.js';
import { connector, run, useNock } from './support/connector.js';

useNock();

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
      first_name: 'Mei', last_name: 'Chan', level: 'vip', type: 'customer', phone_type: 'work', phone_number: '+85221234567',
      email_type: 'personal', email_address: 'mei@example.com', company: 'Harbour Foods Ltd', job_title: 'Buyer', team: 'Procurement',
      group: 'Wholesale', language: 'en', birth_date: '1990-04-18', zip_code: '000000', street: '18 Harbour Road', city: 'Wan Chai',
      state: 'Hong Kong Island', country: 'HK', social_messaging_type: 'whatsApp', social_messaging_name_id: '+85291234567',
    };
    connector().post('/v1/contacts', all).reply(201, contactRecordSample);
    await expect(run('creates', 'createContact', all)).resolves.toEqual(contactRecordSample);
  });
});

describe('Update Contact', () => {
  it('PATCHes /v1/contacts/:id with only the changed fields (not the id) and returns the updated record', async () => {
    connector()
      .patch('/v1/contacts/ctc_4QmT8s', { level: 'vip', email_type: 'work', email_address: 'mei@example.com' })
      .reply(200, updatedContactRecordSample);
    const inputData = { contact_id: ' ctc_4QmT8s ', level: 'vip', email_type: 'work', email_address: 'mei@example.com', first_name: '', city: '  ' };
    await expect(run('creates', 'updateContact', inputData)).resolves.toEqual(updatedContactRecordSample);
  });

  it('URL-encodes the contact id', async () => {
    connector().patch('/v1/contacts/ctc%2F1%3Fx', { last_name: 'Chan' }).reply(200, updatedContactRecordSample);
    await expect(run('creates', 'updateContact', { contact_id: 'ctc/1?x', last_name: 'Chan' })).resolves.toEqual(updatedContactRecordSample);
  });
});
