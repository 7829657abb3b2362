import { agentSample } from '../contract/samples.js';
import { dropdownTrigger } from '../lib/dropdown.js';

export default dropdownTrigger({
  key: 'agentList',
  noun: 'Agent',
  endpoint: 'listAgents',
  toChoice: (a) => ({ id: a.login, name: `${a.name} (${a.login})` }),
  sample: { id: agentSample.login, name: `${agentSample.name} (${agentSample.login})` },
});
