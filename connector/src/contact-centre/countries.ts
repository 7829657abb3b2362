/**
 * ISO 3166 country of an international number, by its calling code (longest match first).
 * Covers the region the contact centre serves and the larger markets; anything else is "ZZ"
 * (the ISO code for "unknown").
 */
const callingCodes: Record<string, string> = {
  '1': 'US',
  '20': 'EG',
  '27': 'ZA',
  '30': 'GR',
  '31': 'NL',
  '32': 'BE',
  '33': 'FR',
  '34': 'ES',
  '39': 'IT',
  '41': 'CH',
  '44': 'GB',
  '45': 'DK',
  '46': 'SE',
  '47': 'NO',
  '48': 'PL',
  '49': 'DE',
  '52': 'MX',
  '55': 'BR',
  '60': 'MY',
  '61': 'AU',
  '62': 'ID',
  '63': 'PH',
  '64': 'NZ',
  '65': 'SG',
  '66': 'TH',
  '7': 'RU',
  '81': 'JP',
  '82': 'KR',
  '84': 'VN',
  '86': 'CN',
  '90': 'TR',
  '91': 'IN',
  '852': 'HK',
  '853': 'MO',
  '855': 'KH',
  '880': 'BD',
  '886': 'TW',
  '971': 'AE',
  '966': 'SA',
  '972': 'IL',
};

export function countryOfNumber(number: string): string {
  const digits = number.replace(/^\+/, '');
  for (let length = 3; length >= 1; length--) {
    const country = callingCodes[digits.slice(0, length)];
    if (country) return country;
  }
  return 'ZZ';
}
