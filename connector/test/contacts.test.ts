import { api, Contact, ContactRecord, listOf, UpdatedContactRecord } from '../../contract/index.js';
import { expectNoEvent, expectOneEvent, startConnector, type TestConnector } from './support/connector.js';

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
    expect(record).toMatchObject({ first_name: 'Alice', phone_type: 'work', phone_number: '+852 2345-6789', email_type: 'personal', social_messaging_type: 'line', team: 'Management', city: 'Central' });
    expect(record.link).toBe(`https://connector.test/console/contacts/${record.id}`);

    const event = await expectOneEvent(connector, 'contact.created');
    expect(event).toMatchObject({ id: record.id, status: 'created', name: 'Alice Tam', link: record.link });
    expect(event.contact).toMatchObject({
      workPhone: '+852 2345-6789',
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

  it('finds contacts by full name (any case), any email slot and any phone slot however punctuated', async () => {
    const { body } = await create({ first_name: 'Bob', last_name: 'Cheung', email_type: 'other', email_address: 'Bob.Cheung@Example.com', phone_type: 'home', phone_number: '+852 9876 5432' });
    await connector.takeEvents();
    for (const query of ['fullName=bob%20cheung', 'fullName=%20BOB%20%20Cheung', 'email=bob.cheung%40example.com', 'phone=%2B852-9876-5432', 'phone=%2B85298765432']) {
      const found = await connector.call(`/v1/contacts?${query}`);
      expect(found.status).toBe(200);
      expect(listOf(Contact).parse(found.body).data.map((c) => c.id)).toEqual([body.id]);
    }
    expect((await connector.call('/v1/contacts?fullName=Bob')).body.data).toEqual([]);
    expect((await connector.call('/v1/contacts?fullName=bob%20cheung&email=someone%40else.com')).body.data).toEqual([]);
  });

  it('refuses a search without criteria', async () => {
    const refused = await connector.call('/v1/contacts');
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
  });

  it('updates only the fields sent, answers UpdatedContactRecord and names the changed Contact keys', async () => {
    const { body: contact } = await create({ first_name: 'Carol', last_name: 'Ip', email_type: 'work', email_address: 'carol@example.com' });
    await connector.takeEvents();
    const updated = await connector.call(`/v1/contacts/${contact.id}`, { method: 'PATCH', body: { level: 'gold', phone_type: 'mobile', phone_number: '+85261112222', social_messaging_type: 'weChat', social_messaging_name_id: 'carol_ip' } });
    expect(updated.status).toBe(200);
    const record = UpdatedContactRecord.parse(updated.body);
    expect(record).toMatchObject({ contact_id: contact.id, level: 'gold', email_address: 'carol@example.com', phone_number: '+85261112222', social_messaging_type: 'weChat', social_mesasging_type: 'weChat' });

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

  it('asks for the slot type when an update gives a value the contact has no slot for yet', async () => {
    const { body: contact } = await create({ first_name: 'Dora' });
    await connector.takeEvents();
    const refused = await connector.call(`/v1/contacts/${contact.id}`, { method: 'PATCH', body: { phone_number: '+85260000001' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ field: 'phone_type', message: expect.stringContaining('is required') }]);
    await expectNoEvent(connector);
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
    expect(event).toMatchObject({ fromOwnerID: created.contact.ownerID, fromOwnerName: created.contact.ownerName, toOwnerID: to, toOwnerName: transferred.body.ownerName });

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
    const before = await connector.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const bad = await create({ first_name: '', email_address: 'not-an-email', level: 'platinum', nickname: 'x' });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['first_name', 'email_address', 'level', 'nickname']));
    expect(bad.body.error.details.find((d: { field: string }) => d.field === 'email_address').message).toMatch(/must be an email address/);
    expect(bad.body.error.message).toMatch(/email_address/);

    const missingType = await create({ first_name: 'Ivy', phone_number: '+85260000000' });
    expect(missingType.body.error.details).toEqual([{ field: 'phone_type', message: 'is required when phone_number is given' }]);

    const emptyUpdate = await connector.call('/v1/contacts/ctc_any', { method: 'PATCH', body: {} });
    expect(emptyUpdate.status).toBe(400);

    const after = await connector.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    await expectNoEvent(connector);
  });

  it('answers 404 naming the contact', async () => {
    const missing = await connector.call('/v1/contacts/ctc_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('contact with id "ctc_nope"') });
  });
});
