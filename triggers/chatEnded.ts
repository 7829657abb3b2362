import { instantTrigger } from '../lib/hooks.js';
import { groupFilter, labelTagFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'chatEnded',
  event: 'chat.ended',
  noun: 'Chat',
  label: 'Chat Ended',
  description: 'Triggers when a chat ends, with its full transcript.',
  filters: [groupFilter('chats'), labelTagFilter('chats')],
});
