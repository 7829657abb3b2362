import { roomMessageSample, smsSample, staffMessageSample } from '../contract/index.js';
import { connector, run, useNock } from './support/connector.js';

useNock();

describe('messaging actions', () => {
  it.each([
    [
      'sendSms',
      '/v1/sms',
      { numberType: 'mobile', senderNumber: '+85264501234', recipientNumber: '+85291234567', text: 'Your order is out for delivery.' },
      { numberType: 'mobile', senderNumber: '+85264501234', recipientNumber: '+85291234567', text: 'Your order is out for delivery.' },
      smsSample,
    ],
    [
      'sendSms',
      '/v1/sms',
      { numberType: 'mobile', senderNumber: '+85264501234', recipientNumber: '+852 9123 4567', text: 'Typed with spaces.' },
      // sent as typed: the connector reads it as +85291234567 and answers it so
      { numberType: 'mobile', senderNumber: '+85264501234', recipientNumber: '+852 9123 4567', text: 'Typed with spaces.' },
      smsSample,
    ],
    ['sendStaffMessage', '/v1/messages/staff', { staff_id: 'stf_ava', text: 'VIP waiting' }, { staff_id: 'stf_ava', text: 'VIP waiting' }, staffMessageSample],
    [
      'sendRoomMessage',
      '/v1/messages/rooms',
      { room_id: 'room_escalations', text: 'Call back HK-000128' },
      { room_id: 'room_escalations', text: 'Call back HK-000128' },
      roomMessageSample,
    ],
  ])('%s posts %s with exactly the form values and returns the message', async (key, path, inputData, body, answer) => {
    connector().post(path, body).matchHeader('content-type', 'application/json').reply(201, answer);
    await expect(run('creates', key, inputData)).resolves.toEqual(answer);
  });
});
