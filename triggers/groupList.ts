import { groupSample } from '../contract/samples.js';
import { dropdownTrigger } from '../lib/dropdown.js';

export default dropdownTrigger({
  key: 'groupList',
  noun: 'Group',
  endpoint: 'listGroups',
  toChoice: (g) => ({ id: String(g.id), name: g.name }),
  sample: { id: String(groupSample.id), name: groupSample.name },
});
