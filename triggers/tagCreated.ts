import { instantTrigger } from '../lib/hooks.js';

export default instantTrigger({
  key: 'tagCreated',
  event: 'tag.created',
  noun: 'Tag',
  label: 'New Tag',
  description: 'Triggers when a tag is created.',
});
