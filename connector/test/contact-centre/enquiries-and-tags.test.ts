import { Enquiry, listOf, Tag } from '../../../contract/index.js';
import { expectNoEvent, expectOneEvent, startConnector, type TestConnector } from '../support/connector.js';

let connector: TestConnector;
let staffId: string;
let tagId: string;
beforeAll(async () => {
  connector = await startConnector({}, { seed: true });
  staffId = (await connector.call('/v1/staff')).body.data[0].id;
  tagId = (await connector.call('/v1/tags')).body.data[0].id;
});
afterAll(() => connector?.close());

const open = (overrides: object = {}) =>
  connector.call('/v1/enquiries', {
    method: 'POST',
    body: {
      channel: 'web',
      type: 'chat',
      destinationType: 'tag',
      destinationID: tagId,
      inquiry: 'Where is my parcel?',
      visitor: { name: 'Mei Chan', email: 'mei.chan@example.com' },
      ...overrides,
    },
  });

describe('enquiries', () => {
  it('opens an enquiry: status new, a case number unique per workspace, enquiry.created with the seed keys', async () => {
    const first = await open();
    const second = await open();
    expect(first.status).toBe(201);
    const enquiry = Enquiry.parse(first.body);
    expect(enquiry).toMatchObject({
      status: 'new',
      channel: 'web',
      omniType: 'chat',
      destinationType: 'tag',
      destinationID: tagId,
      visitorName: 'Mei Chan',
      visitorFirstName: 'Mei',
      visitorLastName: 'Chan',
    });
    expect(enquiry.displayCaseNumber).toMatch(/^HK-\d{6}$/);
    expect(second.body.displayCaseNumber).not.toBe(enquiry.displayCaseNumber);
    expect(enquiry.inquiryDeepLink).toBe(`https://connector.test/console/enquiries/${enquiry.id}`);
    // The visitor's email is a known contact's (seeded Mei Chan): its id is the cid.
    expect(enquiry.cid).toMatch(/^ctc_/);

    const events = await connector.takeEvents();
    expect(events.map((e) => e.type)).toEqual(['enquiry.created', 'enquiry.created']);
    expect(events[0]?.payload).toMatchObject({
      status: 'new',
      enquiryID: enquiry.id,
      displayCaseNumber: enquiry.displayCaseNumber,
      type: 'chat',
      channel: 'web',
      destination: enquiry.destinationName,
      destinationTypes: 'tag',
      handledBy: null,
      link: enquiry.inquiryDeepLink,
    });
  });

  it('finds an enquiry by display case number, in any case', async () => {
    const { body } = await open();
    await connector.takeEvents();
    const found = await connector.call(`/v1/enquiries?displayCaseNumber=${body.displayCaseNumber.toLowerCase()}`);
    expect(
      listOf(Enquiry)
        .parse(found.body)
        .data.map((e) => e.id),
    ).toEqual([body.id]);
    expect((await connector.call('/v1/enquiries?displayCaseNumber=HK-999999')).body.data).toEqual([]);
    expect((await connector.call(`/v1/enquiries/${body.id}`)).status).toBe(200);
  });

  it('goes new → handled → closed, with one event per step and the handler named', async () => {
    const { body } = await open();
    await connector.takeEvents();

    const handled = await connector.call(`/v1/enquiries/${body.id}/handle`, { method: 'POST', body: { staffId } });
    expect(handled.status).toBe(200);
    expect(Enquiry.parse(handled.body)).toMatchObject({ status: 'handled', handledTarget: staffId, handledType: 'staff' });
    const handledEvent = await expectOneEvent(connector, 'enquiry.handled');
    expect(handledEvent.handledBy).toEqual({ id: staffId, name: handled.body.handledPartyName });
    expect(handledEvent.date).toBe(handled.body.pickedUpAt);

    const closed = await connector.call(`/v1/enquiries/${body.id}/close`, { method: 'POST', body: {} });
    expect(closed.status).toBe(200);
    expect(Enquiry.parse(closed.body)).toMatchObject({ status: 'closed', closedByType: 'staff' });
    expect(closed.body.closeDuration).toBeGreaterThanOrEqual(0);
    expect((await expectOneEvent(connector, 'enquiry.closed')).status).toBe('closed');

    const again = await connector.call(`/v1/enquiries/${body.id}/close`, { method: 'POST', body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already closed/);
    expect((await connector.call(`/v1/enquiries/${body.id}/handle`, { method: 'POST', body: { staffId } })).status).toBe(409);
    await expectNoEvent(connector);
  });

  it('misses a new enquiry (no body needed), and refuses to miss a handled one', async () => {
    const { body } = await open({ channel: 'phone', type: 'call', destinationType: 'staff', destinationID: staffId });
    await connector.takeEvents();
    const missed = await connector.call(`/v1/enquiries/${body.id}/miss`, { method: 'POST' });
    expect(missed.status).toBe(200);
    expect(Enquiry.parse(missed.body)).toMatchObject({ status: 'missed', closedByType: 'system' });
    expect((await expectOneEvent(connector, 'enquiry.missed')).destinationTypes).toBe('staff');

    const other = (await open()).body;
    await connector.call(`/v1/enquiries/${other.id}/handle`, { method: 'POST', body: { staffId } });
    await connector.takeEvents();
    const refused = await connector.call(`/v1/enquiries/${other.id}/miss`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/close it instead/);
    await expectNoEvent(connector);
  });

  it('refuses unknown destinations, staff and enquiries with 404, and bad input with 400, writing nothing', async () => {
    const unknownTag = await open({ destinationID: 'tag_nope' });
    expect(unknownTag.status).toBe(404);
    expect(unknownTag.body.error.message).toContain('tag with id "tag_nope"');
    const { body } = await open();
    await connector.takeEvents();
    expect((await connector.call(`/v1/enquiries/${body.id}/handle`, { method: 'POST', body: { staffId: 'stf_nope' } })).status).toBe(404);
    expect((await connector.call('/v1/enquiries/enq_nope/close', { method: 'POST', body: {} })).status).toBe(404);

    const bad = await open({ channel: 'pigeon', visitor: { name: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['channel', 'visitor.name']);
    const badClose = await connector.call(`/v1/enquiries/${body.id}/close`, { method: 'POST', body: { closedByType: 'robot' } });
    expect(badClose.body.error.details[0].field).toBe('closedByType');
    expect((await connector.call('/v1/enquiries')).status).toBe(400);
    await expectNoEvent(connector);
  });
});

describe('tags', () => {
  it('lists, creates, updates and deletes tags with one event each', async () => {
    const created = await connector.call('/v1/tags', { method: 'POST', body: { name: 'Returns', colorCode: '#8E24AA' } });
    expect(created.status).toBe(201);
    const tag = Tag.parse(created.body);
    expect(await expectOneEvent(connector, 'tag.created')).toMatchObject({ status: 'created', id: tag.id, name: 'Returns', colorCode: '#8E24AA' });
    expect(
      listOf(Tag)
        .parse((await connector.call('/v1/tags')).body)
        .data.map((t) => t.id),
    ).toContain(tag.id);

    const updated = await connector.call(`/v1/tags/${tag.id}`, { method: 'PATCH', body: { colorCode: '#000000', name: 'Returns' } });
    expect(Tag.parse(updated.body).colorCode).toBe('#000000');
    expect((await expectOneEvent(connector, 'tag.updated')).changedFields).toEqual(['colorCode']);

    const unchanged = await connector.call(`/v1/tags/${tag.id}`, { method: 'PATCH', body: { name: 'Returns' } });
    expect(unchanged.status).toBe(200);
    await expectNoEvent(connector);

    const deleted = await connector.call(`/v1/tags/${tag.id}`, { method: 'DELETE' });
    expect(Tag.parse(deleted.body).id).toBe(tag.id);
    expect(await expectOneEvent(connector, 'tag.deleted')).toMatchObject({ status: 'deleted', id: tag.id, name: 'Returns' });
    expect((await connector.call(`/v1/tags/${tag.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses duplicate names (any case) with 409 and bad colours with 400, writing nothing', async () => {
    const duplicate = await connector.call('/v1/tags', { method: 'POST', body: { name: 'vip', colorCode: '#123456' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.message).toMatch(/already exists/);
    const badColour = await connector.call('/v1/tags', { method: 'POST', body: { name: 'Blue', colorCode: 'blue' } });
    expect(badColour.status).toBe(400);
    expect(badColour.body.error.details).toEqual([{ field: 'colorCode', message: 'must be a colour such as #1E88E5' }]);
    const emptyUpdate = await connector.call(`/v1/tags/${tagId}`, { method: 'PATCH', body: {} });
    expect(emptyUpdate.status).toBe(400);
    await expectNoEvent(connector);
  });
});
