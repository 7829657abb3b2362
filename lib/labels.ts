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
};

const acronyms = new Set(['id', 'ip', 'url', 'sms', 'im']);

/** "displayCaseNumber" → "Display Case Number", "fromOwnerID" → "From Owner ID", "job_title" → "Job Title". */
export function labelFor(key: string): string {
  const override = labelOverrides[key];
  if (override) return override;
  return key
    .replace(/^_+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter(Boolean)
    .map((word) => (acronyms.has(word.toLowerCase()) ? word.toUpperCase() : word[0]!.toUpperCase() + word.slice(1)))
    .join(' ');
}
