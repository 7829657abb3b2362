import { defineCreate, defineInputFields, type CreatePerform, type InferInputData } from 'zapier-platform-core';
import { callConnector } from '../lib/connector.js';
import { dropdownOf } from '../lib/dropdown.js';
import { outputOf } from '../lib/output-shapes.js';
import roomList from '../triggers/roomList.js';

const inputFields = defineInputFields([
  { key: 'room_id', label: 'Group Room', required: true, dynamic: dropdownOf(roomList), helpText: 'The group chat room that receives the message.' },
  { key: 'text', label: 'Text', required: true, type: 'text' },
]);

const perform = (async (z, bundle) =>
  callConnector(z, bundle, 'messageRoom', {
    body: { room_id: bundle.inputData.room_id, text: bundle.inputData.text },
    action: 'send the message to the group room',
    fieldLabels: { room_id: 'Group Room', text: 'Text' },
  })) satisfies CreatePerform<InferInputData<typeof inputFields>>;

export default defineCreate({
  key: 'sendRoomMessage',
  noun: 'Instant Message',
  display: {
    label: 'Send Message to Group Room',
    description: 'Sends an instant message to a group chat room in the contact centre.',
  },
  operation: { inputFields, perform, ...outputOf('RoomMessage') },
});
