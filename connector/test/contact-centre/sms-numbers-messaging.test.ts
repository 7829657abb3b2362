import { listOf, numberTypes, Room, RoomMessage, ServiceNumber, SmsMessage, Staff, StaffMessage } from '../../../contract/index.js';
import { createSmsReportPoller, processDueSmsReports } from '../../src/contact-centre/sms.js';
import { expectNoEvent, expectOneEvent, startConnector, type TestConnector } from '../support/connector.js';

let connector: TestConnector;
beforeAll(async () => {
  connector = await startConnector({ CONNECTOR_SMS_SANDBOX_REPORT_DELAY_MS: '0' }, { seed: true });
});
afterAll(() => connector?.close());

const sendSms = (body: object) => connector.call('/v1/sms', { method: 'POST', body });

describe('numbers', () => {
  it('lists numbers of every type, and of one type', async () => {
    const all = listOf(ServiceNumber).parse((await connector.call('/v1/numbers')).body).data;
    expect(new Set(all.map((n) => n.type))).toEqual(new Set(numberTypes));
    const mobile = (await connector.call('/v1/numbers?numberType=mobile')).body.data as ServiceNumber[];
    expect(mobile.length).toBeGreaterThan(0);
    expect(mobile.every((n) => n.type === 'mobile' && n.smsCapable)).toBe(true);
    const bad = await connector.call('/v1/numbers?numberType=fax');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('numberType');
  });
});

describe('SMS through the sandbox provider', () => {
  it('accepts the SMS (queued, response code 0, provider sandbox), then reports delivered through sms.status', async () => {
    const sent = await sendSms({ numberType: 'mobile', senderNumber: '+85264501234', recipientNumber: '+85291234567', text: 'Your parcel is on its way.' });
    expect(sent.status).toBe(201);
    const sms = SmsMessage.parse(sent.body);
    expect(sms).toMatchObject({ status: 'queued', responseCode: '0', exception: null, provider: 'sandbox', recipientCountry: 'HK', transactionId: sms.id });
    // Nothing is reported until the report is due and processed (the poller does it in `serve`).
    await expectNoEvent(connector);

    expect(await processDueSmsReports(connector.db)).toBe(1);
    const event = await expectOneEvent(connector, 'sms.status');
    expect(event).toMatchObject({
      id: sms.id,
      transactionId: sms.id,
      recipientNumber: '+85291234567',
      recipientCountry: 'HK',
      status: 'delivered',
      responseCode: '0',
      exception: null,
    });
    expect(await processDueSmsReports(connector.db)).toBe(0);
  });

  it('sends to the recipient in E.164 however it was typed (a number without a country code is a Hong Kong one)', async () => {
    for (const typed of ['+852 9123 4567', '9123-4567', '(852) 91234567']) {
      const sent = await sendSms({ numberType: 'mobile', senderNumber: '+85264501234', recipientNumber: typed, text: 'Typed any way' });
      expect({ typed, status: sent.status }).toEqual({ typed, status: 201 });
      expect(SmsMessage.parse(sent.body)).toMatchObject({ recipientNumber: '+85291234567', recipientCountry: 'HK' });
    }
    // Their delivery reports are not this test's subject: processed and taken, so the next tests start clean.
    expect(await processDueSmsReports(connector.db)).toBe(3);
    expect((await connector.takeEvents()).map((e) => e.payload.recipientNumber)).toEqual(['+85291234567', '+85291234567', '+85291234567']);
  });

  it('fails recipients ending in 0000 with an exception, so Zaps can be tested against failures', async () => {
    await sendSms({ numberType: 'sender_id', senderNumber: 'ACME', recipientNumber: '+6590000000', text: 'Test' });
    await processDueSmsReports(connector.db);
    const event = await expectOneEvent(connector, 'sms.status');
    expect(event).toMatchObject({ status: 'failed', recipientCountry: 'SG', exception: expect.stringContaining('0000') });
  });

  it('keeps a report that is not due yet (it survives a restart as a row) until its time', async () => {
    await sendSms({ numberType: 'mobile', senderNumber: '+85264501234', recipientNumber: '+85291110000', text: 'Later' });
    const pending = await connector.db.selectFrom('sms_status_reports').selectAll().where('processed_at', 'is', null).execute();
    expect(pending).toHaveLength(1);
    expect(await processDueSmsReports(connector.db, new Date(Date.parse(pending[0]!.due_at) - 1000))).toBe(0);

    const poller = createSmsReportPoller(connector.db, { error: () => undefined }, 10);
    poller.start();
    await waitFor(async () => (await connector.db.selectFrom('sms_status_reports').select('id').where('processed_at', 'is', null).execute()).length === 0);
    await poller.stop();
    expect((await expectOneEvent(connector, 'sms.status')).status).toBe('failed');
  });

  it('refuses unknown or non-SMS sender numbers and bad input, writing nothing', async () => {
    const before = await countSms();
    const unknown = await sendSms({ numberType: 'mobile', senderNumber: '+85200000000', recipientNumber: '+85291234567', text: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('+85200000000');
    const voiceOnly = await sendSms({ numberType: 'did', senderNumber: '+85230011234', recipientNumber: '+85291234567', text: 'x' });
    expect(voiceOnly.status).toBe(409);
    const bad = await sendSms({ numberType: 'mobile', senderNumber: '+85264501234', recipientNumber: '', text: ' ' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { field: 'recipientNumber', message: 'must be a phone number such as +85291234567' },
      { field: 'text', message: 'must not be empty' },
    ]);
    for (const recipientNumber of ['call me', '123']) {
      const notAPhone = await sendSms({ numberType: 'mobile', senderNumber: '+85264501234', recipientNumber, text: 'x' });
      expect(notAPhone.status).toBe(400);
      expect(notAPhone.body.error.details).toEqual([
        { field: 'recipientNumber', message: expect.stringMatching(/^must be a phone number such as \+85291234567/) },
      ]);
    }
    expect(await countSms()).toBe(before);
    await expectNoEvent(connector);
  });
});

describe('instant messages', () => {
  it('lists staff and rooms, and sends to each', async () => {
    const staff = listOf(Staff).parse((await connector.call('/v1/staff')).body).data;
    const rooms = listOf(Room).parse((await connector.call('/v1/rooms')).body).data;
    expect(staff.length).toBeGreaterThan(1);
    expect(rooms.length).toBeGreaterThan(0);

    const toStaff = await connector.call('/v1/messages/staff', { method: 'POST', body: { staff_id: staff[0]!.id, text: 'VIP enquiry waiting' } });
    expect(toStaff.status).toBe(201);
    expect(StaffMessage.parse(toStaff.body)).toMatchObject({ staff_id: staff[0]!.id, staffName: staff[0]!.name, text: 'VIP enquiry waiting' });
    const toRoom = await connector.call('/v1/messages/rooms', { method: 'POST', body: { room_id: rooms[0]!.id, text: 'Call the customer back' } });
    expect(toRoom.status).toBe(201);
    expect(RoomMessage.parse(toRoom.body)).toMatchObject({ room_id: rooms[0]!.id, roomName: rooms[0]!.name });

    const stored = await connector.db.selectFrom('instant_messages').selectAll().execute();
    expect(stored.map((m) => [m.recipient_kind, m.app_id])).toEqual([
      ['staff', connector.account.appId],
      ['room', connector.account.appId],
    ]);
  });

  it('answers 404 for unknown recipients and 400 naming the fields', async () => {
    expect((await connector.call('/v1/messages/staff', { method: 'POST', body: { staff_id: 'stf_nope', text: 'x' } })).status).toBe(404);
    const missingRoom = await connector.call('/v1/messages/rooms', { method: 'POST', body: { room_id: 'room_nope', text: 'x' } });
    expect(missingRoom.body.error.message).toContain('room with id "room_nope"');
    const bad = await connector.call('/v1/messages/rooms', { method: 'POST', body: { text: '' } });
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['room_id', 'text']);
  });
});

const countSms = async () => (await connector.db.selectFrom('sms_messages').select('id').execute()).length;

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
