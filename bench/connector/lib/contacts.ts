/** The bulk-loaded contacts: contact n has these values (already in their normalised search form). */
export const BULK_ID_PREFIX = 'ctc_bulk';

export function benchContact(n: number) {
  const firstName = `Bench${n}`;
  const lastName = 'Contact';
  return {
    firstName,
    lastName,
    fullName: `${firstName} ${lastName}`,
    email: `contact.${n}@bench.example`,
    phone: `+852${String(50_000_000 + n)}`,
  };
}
