/** Static dropdown choices (value → label), and what a mapped value means in them. */
export type Choices = Record<string, string>;

/** How a perform refuses input before any request: a Zapier error with the message. */
export type Refuse = (message: string) => Error;

/**
 * The choice a typed or mapped value means: a value as it is, else a value or a label in any
 * case ("High" → "2", "VIP" → "vip", "whatsapp" → "whatsApp") when exactly one choice has it.
 */
export function choiceOf(choices: Choices, typed: string): string | undefined {
  if (Object.hasOwn(choices, typed)) return typed;
  const wanted = typed.toLowerCase();
  const matches = Object.entries(choices).filter(([value, label]) => value.toLowerCase() === wanted || label.toLowerCase() === wanted);
  return matches.length === 1 ? matches[0]![0] : undefined;
}

/** "Low (0), Normal (1)" or "VIP, Gold": what a field takes, the way its dropdown shows it. */
export const describeChoices = (choices: Choices) =>
  Object.entries(choices)
    .map(([value, label]) => (value.toLowerCase() === label.toLowerCase() ? label : `${label} (${value})`))
    .join(', ');

/** choiceOf, or a refusal naming the field by its label and listing what it takes. */
export function choiceFor(label: string, choices: Choices, typed: string, refuse: Refuse): string {
  const value = choiceOf(choices, typed);
  if (value === undefined) throw refuse(`${label} must be one of ${describeChoices(choices)}; got "${typed}".`);
  return value;
}
