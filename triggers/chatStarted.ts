import { instantTrigger } from '../lib/hooks.js';
import { groupFilter, labelTagFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'chatStarted',
  event: 'chat.started',
  noun: 'Chat',
  label: 'Chat Started',
  description: 'Triggers when a visitor starts a new chat.',
  filters: [groupFilter('chats'), labelTagFilter('chats')],
});
