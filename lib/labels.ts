/** Human labels for contract keys, used for output fields and static dropdown choices. */

/** Keys whose spelling comes from the seeds and reads badly when split mechanically. */
const labelOverrides: Record<string, string> = {
  id: 'ID',
  _id: 'Enquiry Record ID',
  createdAT: 'Created At',
  svcID: 'Service ID',
  ServiceID: 'Service ID',
  cid: 'Conversation ID',
  roomID: 'Room ID',
  slavecontacts: 'Merged Contact IDs',
  is_private: 'Private',
  mail: 'Email',
  ip: 'IP Address',
  url: 'URL',
  link: 'Link',
  kf5: 'KF5',
  ccs: 'CCs',
  social_mesasging_type: 'Social Messaging Type (Old Spelling)',
};

const acronyms = new Set(['id', 'ip', 'url', 'sms', 'im', 'vip', 'did']);
const pluralAcronyms: Record<string, string> = { ids: 'IDs', urls: 'URLs' };

/** Brand names that the camelCase split breaks apart or lower-cases ("whatsApp" → "Whats App"). */
const brandNames: [RegExp, string][] = [
  [/\bWhats ?App\b/gi, 'WhatsApp'],
  [/\bWe ?Chat\b/gi, 'WeChat'],
  [/\bLinked ?In\b/gi, 'LinkedIn'],
];

const capitalise = (word: string): string =>
  acronyms.has(word.toLowerCase()) ? word.toUpperCase() : (pluralAcronyms[word.toLowerCase()] ?? word[0]!.toUpperCase() + word.slice(1));

/** "displayCaseNumber" → "Display Case Number", "fromOwnerID" → "From Owner ID", "job_title" → "Job Title", "whatsApp" → "WhatsApp". */
export function labelFor(key: string): string {
  const override = labelOverrides[key];
  if (override) return override;
  const label = key
    .replace(/^_+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter(Boolean)
    .map(capitalise)
    .join(' ');
  return brandNames.reduce((text, [pattern, name]) => text.replace(pattern, name), label);
}
