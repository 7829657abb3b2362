import { instantTrigger } from '../lib/hooks.js';
import { tagFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'tagUpdated',
  event: 'tag.updated',
  noun: 'Tag',
  label: 'Tag Updated',
  description: 'Triggers when a tag is renamed or recoloured, optionally only for one tag or one kind of change.',
  filters: [
    tagFilter,
    {
      key: 'changedField',
      label: 'Changed Field',
      helpText: 'Only renames (Name) or only colour changes (Color Code). Leave empty for both.',
      choices: { name: 'Name', colorCode: 'Color Code' },
    },
  ],
});
