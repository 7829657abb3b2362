import { roomSample } from '../contract/samples.js';
import { dropdownTrigger } from '../lib/dropdown.js';

export default dropdownTrigger({
  key: 'roomList',
  noun: 'Group Room',
  endpoint: 'listRooms',
  toChoice: (r) => ({ id: r.id, name: r.name }),
  sample: { id: roomSample.id, name: roomSample.name },
});
