// The core functions with the package's "min" metadata as a module (its default entry imports
// the JSON file itself, which jest's ESM loader warns about).
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';
import { invalidField } from '../errors.js';

/** The region a number without a country code belongs to, when CONNECTOR_DEFAULT_PHONE_REGION is not set. */
export const defaultPhoneRegion = 'HK';

/**
 * A phone number as typed ("+852 9876 5401", "9876-5401", "(852) 98765401") in E.164
 * ("+85298765401"), or undefined when it cannot be a phone number (letters, too few or too
 * many digits for its country, an unknown country code). A number without "+" is read in
 * `region` (an ISO 3166 code such as "HK").
 */
export function toE164(typed: string, region: string = defaultPhoneRegion): string | undefined {
  const parsed = parsePhoneNumberFromString(typed.trim(), region as CountryCode, metadata);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** toE164, or a 400 naming the request field with an example of what it takes. */
export function phoneField(field: string, typed: string, region: string = defaultPhoneRegion): string {
  const e164 = toE164(typed, region);
  if (!e164) throw invalidField(field, `must be a phone number such as +85291234567 (numbers without a country code are read as ${region} numbers)`);
  return e164;
}

/** Whether `region` is a country whose numbers can be read (for CONNECTOR_DEFAULT_PHONE_REGION). */
export const isPhoneRegion = (region: string) => isSupportedCountry(region as CountryCode, metadata);
