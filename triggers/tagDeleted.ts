import { instantTrigger } from '../lib/hooks.js';
import { tagFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'tagDeleted',
  event: 'tag.deleted',
  noun: 'Tag',
  label: 'Tag Deleted',
  description: 'Triggers when a tag is deleted.',
  filters: [tagFilter],
});
