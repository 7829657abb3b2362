import { api, Contact, ContactRecord, listOf, UpdatedContactRecord } from '../../../contract/index.js';
import { SettingsError, settingsFromEnv } from '../../src/settings.js';
import { expectNoEvent, expectOneEvent, startConnector, type TestConnector } from '../support/connector.js';

let connector: TestConnector;
beforeAll(async () => {
  connector = await startConnector({}, { seed: true });
});
afterAll(() => connector?.close());

const create = (body: object) => connector.call('/v1/contacts', { method: 'POST', body });
const staffIds = async () => (await connector.call('/v1/staff')).body.data.map((s: { id: string }) => s.id) as string[];

describe('contacts', () => {
  it('creates a contact from the snake_case input, answers ContactRecord and records contact.created', async () => {
    const created = await create({
      first_name: 'Alice',
      last_name: 'Tam',
      level: 'vip',
      type: 'customer',
      phone_type: 'work',
      phone_number: '+852 2345-6789',
      email_type: 'personal',
      email_address: 'alice.tam@example.com',
      company: 'Tam Trading',
      job_title: 'Director',
      team: 'Management',
      group: 'Wholesale',
      language: 'zh-HK',
      birth_date: '1985-02-03',
      street: '1 Queen’s Road',
      city: 'Central',
      state: 'Hong Kong Island',
      zip_code: '000000',
      country: 'HK',
      social_messaging_type: 'line',
      social_messaging_name_id: 'alice.tam',
    });
    expect(created.status).toBe(api.createContact.status);
    const record = ContactRecord.parse(created.body);
    expect(record).toMatchObject({
      first_name: 'Alice',
      phone_type: 'work',
      phone_number: '+85223456789',
      email_type: 'personal',
      social_messaging_type: 'line',
      team: 'Management',
      city: 'Central',
    });
    expect(record.link).toBe(`https://connector.test/console/contacts/${record.id}`);

    const event = await expectOneEvent(connector, 'contact.created');
    expect(event).toMatchObject({ id: record.id, status: 'created', name: 'Alice Tam', link: record.link });
    expect(event.contact).toMatchObject({
      workPhone: '+85223456789',
      personalEmail: 'alice.tam@example.com',
      line: 'alice.tam',
      department: 'Management',
      companyName: 'Tam Trading',
      customerType: 'customer',
      birthday: '1985-02-03',
      addresses: [{ street: '1 Queen’s Road', city: 'Central', state: 'Hong Kong Island', zipCode: '000000', country: 'HK' }],
    });
    // The owner defaults to a staff member of the workspace.
    expect(await staffIds()).toContain(event.contact.ownerID);

    const fetched = await connector.call(`/v1/contacts/${record.id}`);
    expect(Contact.parse(fetched.body).fullName).toBe('Alice Tam');
  });

  it('finds contacts by full name (any case), any email slot and any phone slot however the number is typed', async () => {
    const { body } = await create({
      first_name: 'Bob',
      last_name: 'Cheung',
      email_type: 'other',
      email_address: 'Bob.Cheung@Example.com',
      phone_type: 'home',
      phone_number: '+852 9876 5401',
    });
    await connector.takeEvents();
    expect(body.phone_number).toBe('+85298765401');
    const phones = ['+852 9876 5401', '9876-5401', '(852) 98765401', '+852-9876-5401', '+85298765401', '98765401'];
    for (const query of [
      'fullName=bob%20cheung',
      'fullName=%20BOB%20%20Cheung',
      'email=bob.cheung%40example.com',
      ...phones.map((p) => `phone=${encodeURIComponent(p)}`),
    ]) {
      const found = await connector.call(`/v1/contacts?${query}`);
      expect({ query, status: found.status }).toEqual({ query, status: 200 });
      expect({
        query,
        ids: listOf(Contact)
          .parse(found.body)
          .data.map((c) => c.id),
      }).toEqual({ query, ids: [body.id] });
    }
    // Typed without a country code and without punctuation, the number is stored in E.164 too, and found as typed with it.
    const { body: local } = await create({ first_name: 'Bea', last_name: 'Chow', phone_type: 'work', phone_number: '2345 6701' });
    expect(local.phone_number).toBe('+85223456701');
    expect((await connector.call('/v1/contacts?phone=%2B852%202345%206701')).body.data.map((c: Contact) => c.id)).toEqual([local.id]);
    await connector.takeEvents();
    expect((await connector.call('/v1/contacts?fullName=Bob')).body.data).toEqual([]);
    expect((await connector.call('/v1/contacts?fullName=bob%20cheung&email=someone%40else.com')).body.data).toEqual([]);
  });

  it('refuses a phone search for something that cannot be a phone number, naming phone', async () => {
    for (const phone of ['call me', '123', '+852 1234 5678 9012 3456']) {
      const refused = await connector.call(`/v1/contacts?phone=${encodeURIComponent(phone)}`);
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([{ field: 'phone', message: expect.stringMatching(/^must be a phone number such as \+85291234567/) }]);
    }
  });

  it('refuses a search without criteria', async () => {
    const refused = await connector.call('/v1/contacts');
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
  });

  it('updates only the fields sent, answers UpdatedContactRecord and names the changed Contact keys', async () => {
    const { body: contact } = await create({ first_name: 'Carol', last_name: 'Ip', email_type: 'work', email_address: 'carol@example.com' });
    await connector.takeEvents();
    const updated = await connector.call(`/v1/contacts/${contact.id}`, {
      method: 'PATCH',
      body: { level: 'gold', phone_type: 'mobile', phone_number: '+85261112222', social_messaging_type: 'weChat', social_messaging_name_id: 'carol_ip' },
    });
    expect(updated.status).toBe(200);
    const record = UpdatedContactRecord.parse(updated.body);
    expect(record).toMatchObject({
      contact_id: contact.id,
      level: 'gold',
      email_address: 'carol@example.com',
      phone_number: '+85261112222',
      social_messaging_type: 'weChat',
      social_mesasging_type: 'weChat',
    });

    const event = await expectOneEvent(connector, 'contact.updated');
    expect(event.changedFields.sort()).toEqual(['level', 'mobilePhone', 'weChat'].sort());
    expect(event.contact.email).toBe('carol@example.com');

    // Same values again: nothing changed, nothing recorded.
    const again = await connector.call(`/v1/contacts/${contact.id}`, { method: 'PATCH', body: { level: 'gold' } });
    expect(again.status).toBe(200);
    await expectNoEvent(connector);

    // A renamed contact: both the name and the full name changed.
    await connector.call(`/v1/contacts/${contact.id}`, { method: 'PATCH', body: { last_name: 'Ip-Wong' } });
    expect((await expectOneEvent(connector, 'contact.updated')).changedFields.sort()).toEqual(['fullName', 'lastName']);
  });

  it('puts a phone without Phone Type in the mobile slot and an email without Email Type in the work slot', async () => {
    const created = await create({ first_name: 'Dina', phone_number: '9123 4501', email_address: 'dina@example.com' });
    expect(created.status).toBe(api.createContact.status);
    expect(created.body).toMatchObject({ phone_type: 'mobile', phone_number: '+85291234501', email_type: 'work', email_address: 'dina@example.com' });
    expect((await expectOneEvent(connector, 'contact.created')).contact).toMatchObject({
      mobilePhone: '+85291234501',
      email: 'dina@example.com',
      workPhone: '',
      personalEmail: '',
    });
  });

  it('on update, a phone or email without its type replaces the slot the contact already uses, else fills mobile or work', async () => {
    const { body: dora } = await create({ first_name: 'Dora' });
    await connector.takeEvents();
    const first = await connector.call(`/v1/contacts/${dora.id}`, {
      method: 'PATCH',
      body: { phone_number: '+85260000001', email_address: 'dora@example.com' },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ phone_type: 'mobile', phone_number: '+85260000001', email_type: 'work', email_address: 'dora@example.com' });
    await connector.takeEvents();

    const { body: homeOnly } = await create({ first_name: 'Dan', phone_type: 'home', phone_number: '+85221234567' });
    await connector.takeEvents();
    const second = await connector.call(`/v1/contacts/${homeOnly.id}`, { method: 'PATCH', body: { phone_number: '2123 9999' } });
    expect(second.body).toMatchObject({ phone_type: 'home', phone_number: '+85221239999' });
    const event = await expectOneEvent(connector, 'contact.updated');
    expect(event.changedFields).toEqual(['homePhone']);
    expect(event.contact).toMatchObject({ homePhone: '+85221239999', mobilePhone: '' });
  });

  it('merges contacts: empty fields are filled, sources disappear, one contact.merged', async () => {
    const target = (await create({ first_name: 'Eve', last_name: 'Lo', email_type: 'work', email_address: 'eve@example.com' })).body;
    const source = (await create({ first_name: 'Eve', last_name: 'Lo', phone_type: 'mobile', phone_number: '+85262223333', company: 'Lo & Co' })).body;
    await connector.takeEvents();

    const merged = await connector.call(`/v1/contacts/${target.id}/merge`, { method: 'POST', body: { sourceContactIds: [source.id] } });
    expect(merged.status).toBe(200);
    const contact = Contact.parse(merged.body);
    expect(contact).toMatchObject({ email: 'eve@example.com', mobilePhone: '+85262223333', companyName: 'Lo & Co', slavecontacts: [source.id] });

    const event = await expectOneEvent(connector, 'contact.merged');
    expect(event).toMatchObject({ id: target.id, status: 'merged', mergedContactIds: [source.id] });
    expect(event.contact.slavecontacts).toEqual([source.id]);
    expect((await connector.call(`/v1/contacts/${source.id}`)).status).toBe(404);
    // The merged contact is found by the source's phone now.
    expect((await connector.call('/v1/contacts?phone=%2B85262223333')).body.data.map((c: Contact) => c.id)).toEqual([target.id]);
  });

  it('refuses merging a contact into itself or an unknown contact, writing nothing', async () => {
    const target = (await create({ first_name: 'Fay' })).body;
    await connector.takeEvents();
    const self = await connector.call(`/v1/contacts/${target.id}/merge`, { method: 'POST', body: { sourceContactIds: [target.id] } });
    expect(self.status).toBe(409);
    const unknown = await connector.call(`/v1/contacts/${target.id}/merge`, { method: 'POST', body: { sourceContactIds: ['ctc_missing'] } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('ctc_missing');
    await expectNoEvent(connector);
  });

  it('transfers ownership, naming both owners', async () => {
    const { body: record } = await create({ first_name: 'Gus' });
    const created = await expectOneEvent(connector, 'contact.created');
    const to = (await staffIds()).find((id) => id !== created.contact.ownerID) ?? '';

    const transferred = await connector.call(`/v1/contacts/${record.id}/transfer`, { method: 'POST', body: { toOwnerID: to } });
    expect(transferred.status).toBe(200);
    expect(Contact.parse(transferred.body).ownerID).toBe(to);
    const event = await expectOneEvent(connector, 'contact.ownership_transferred');
    expect(event).toMatchObject({
      fromOwnerID: created.contact.ownerID,
      fromOwnerName: created.contact.ownerName,
      toOwnerID: to,
      toOwnerName: transferred.body.ownerName,
    });

    const again = await connector.call(`/v1/contacts/${record.id}/transfer`, { method: 'POST', body: { toOwnerID: to } });
    expect(again.status).toBe(409);
    const nobody = await connector.call(`/v1/contacts/${record.id}/transfer`, { method: 'POST', body: { toOwnerID: 'stf_nobody' } });
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.message).toContain('staff member');
    await expectNoEvent(connector);
  });

  it('deletes a contact, answering and recording it as it was', async () => {
    const { body: record } = await create({ first_name: 'Hana', email_type: 'work', email_address: 'hana@example.com' });
    await connector.takeEvents();
    const deleted = await connector.call(`/v1/contacts/${record.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(Contact.parse(deleted.body).email).toBe('hana@example.com');
    const event = await expectOneEvent(connector, 'contact.deleted');
    expect(event.contact.id).toBe(record.id);
    expect((await connector.call(`/v1/contacts/${record.id}`)).status).toBe(404);
    expect((await connector.call('/v1/contacts?email=hana%40example.com')).body.data).toEqual([]);
    expect((await connector.call(`/v1/contacts/${record.id}`, { method: 'DELETE' })).status).toBe(404);
    await expectNoEvent(connector);
  });

  it('validates create and update input, naming the fields, and writes nothing', async () => {
    const before = await connector.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const bad = await create({ first_name: '', email_address: 'not-an-email', level: 'platinum', nickname: 'x' });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['first_name', 'email_address', 'level', 'nickname']));
    expect(bad.body.error.details.find((d: { field: string }) => d.field === 'email_address').message).toMatch(/must be an email address/);
    expect(bad.body.error.message).toMatch(/email_address/);

    // Letters are refused by the contract; too few digits, or a country code that does not exist, by the connector.
    for (const phone_number of ['call me', '123', '+999 1234 5678']) {
      const notAPhone = await create({ first_name: 'Ivy', phone_type: 'mobile', phone_number });
      expect(notAPhone.status).toBe(400);
      expect(notAPhone.body.error.details).toEqual([
        { field: 'phone_number', message: expect.stringMatching(/^must be a phone number such as \+85291234567/) },
      ]);
    }
    const socialWithoutType = await create({ first_name: 'Ivy', social_messaging_name_id: 'ivy' });
    expect(socialWithoutType.body.error.details).toEqual([{ field: 'social_messaging_type', message: 'is required when social_messaging_name_id is given' }]);

    const emptyUpdate = await connector.call('/v1/contacts/ctc_any', { method: 'PATCH', body: {} });
    expect(emptyUpdate.status).toBe(400);

    const after = await connector.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    await expectNoEvent(connector);
  });

  it('answers 404 naming the contact', async () => {
    const missing = await connector.call('/v1/contacts/ctc_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('contact with id "ctc_nope"') });
  });
});

describe('CONNECTOR_DEFAULT_PHONE_REGION', () => {
  it('is HK unless set, takes any case, and refuses what is no country with phone numbers, naming the variable', () => {
    expect(settingsFromEnv({}).phoneRegion).toBe('HK');
    expect(settingsFromEnv({ CONNECTOR_DEFAULT_PHONE_REGION: 'sg' }).phoneRegion).toBe('SG');
    expect(() => settingsFromEnv({ CONNECTOR_DEFAULT_PHONE_REGION: 'XX' })).toThrow(SettingsError);
    expect(() => settingsFromEnv({ CONNECTOR_DEFAULT_PHONE_REGION: 'Hong Kong' })).toThrow(
      'CONNECTOR_DEFAULT_PHONE_REGION must be a two-letter country code with phone numbers, such as HK or SG (got "Hong Kong")',
    );
  });
});

describe('contacts with CONNECTOR_DEFAULT_PHONE_REGION=SG', () => {
  let sg: TestConnector;
  beforeAll(async () => {
    sg = await startConnector({ CONNECTOR_DEFAULT_PHONE_REGION: 'sg' }, { seed: true });
  });
  afterAll(() => sg?.close());

  it('reads numbers without a country code as Singapore numbers, and finds them typed either way', async () => {
    const created = await sg.call('/v1/contacts', { method: 'POST', body: { first_name: 'Wei', phone_number: '9123 4599' } });
    expect(created.body).toMatchObject({ phone_type: 'mobile', phone_number: '+6591234599' });
    for (const phone of ['91234599', '+65 9123 4599']) {
      expect((await sg.call(`/v1/contacts?phone=${encodeURIComponent(phone)}`)).body.data.map((c: Contact) => c.id)).toEqual([created.body.id]);
    }
    // An explicit country code still wins.
    expect((await sg.call('/v1/contacts?phone=%2B852%209123%204599')).body.data).toEqual([]);
  });
});
