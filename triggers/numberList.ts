import { numberSample } from '../contract/samples.js';
import { dropdownTrigger } from '../lib/dropdown.js';

export default dropdownTrigger({
  key: 'numberList',
  noun: 'Number',
  endpoint: 'listNumbers',
  query: (input) => ({ numberType: input.numberType as string | undefined }),
  toChoice: (n) => ({ id: n.Number, name: `${n.Number} (${n.label})`, ServiceID: n.ServiceID, type: n.type }),
  sample: { id: numberSample.Number, name: `${numberSample.Number} (${numberSample.label})`, ServiceID: numberSample.ServiceID, type: numberSample.type },
});
