import { tagSample } from '../contract/samples.js';
import { dropdownTrigger } from '../lib/dropdown.js';

export default dropdownTrigger({
  key: 'tagList',
  noun: 'Tag',
  endpoint: 'listTags',
  toChoice: (t) => ({ id: t.id, name: t.name, colorCode: t.colorCode }),
  sample: { id: tagSample.id, name: tagSample.name, colorCode: tagSample.colorCode },
});
