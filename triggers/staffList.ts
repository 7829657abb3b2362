import { staffSample } from '../contract/samples.js';
import { dropdownTrigger } from '../lib/dropdown.js';

export default dropdownTrigger({
  key: 'staffList',
  noun: 'Staff Member',
  endpoint: 'listStaff',
  toChoice: (s) => ({ id: s.id, name: `${s.name} (${s.department})` }),
  sample: { id: staffSample.id, name: `${staffSample.name} (${staffSample.department})` },
});
