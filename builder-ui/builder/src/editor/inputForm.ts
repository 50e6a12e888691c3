// Which of an input block's settings apply to its kind (scenarios/format/blocks.py
// `InputSettings`: each constraint is refused on a kind it does not apply to). The inspector
// leaves the others out of the form, unless they hold a value: that one stays in view, so the
// author can see and clear what validation complains about.
import { isObject } from "./schemaForm";

/** The settings that apply only to some kinds, and those kinds. */
const KIND_FIELDS: Record<string, readonly string[]> = {
  choices: ["choice"],
  min: ["number", "date"],
  max: ["number", "date"],
  step: ["number"],
  integer: ["number"],
  weekdays: ["date"],
  min_length: ["text"],
  max_length: ["text"],
  pattern: ["text"],
  entity: ["text"],
  timezone: ["text"],
};

const KINDS = new Set(["text", "number", "email", "phone", "date", "choice"]);

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === false || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

/** The input's settings that do not apply to its kind and hold nothing: left out of the form.
 * An unknown kind hides nothing. */
export function inputHiddenFields(settings: Record<string, unknown>): ReadonlySet<string> {
  const kind = settings.kind;
  if (typeof kind !== "string" || !KINDS.has(kind)) return new Set();
  return new Set(Object.entries(KIND_FIELDS).filter(([name, kinds]) => !kinds.includes(kind) && isEmpty(settings[name])).map(([name]) => name));
}

/** The constraints each kind can have a re-prompt for (`REPROMPT_KEYS` in
 * scenarios/format/blocks.py: any other key is refused). */
const REPROMPT_KEYS: Record<string, readonly string[]> = {
  text: ["format", "length", "pattern", "entity"],
  number: ["format", "integer", "min", "max", "step"],
  email: ["format"],
  phone: ["format"],
  date: ["format", "min", "max", "weekday"],
  choice: ["format"],
};

/** The keys the input's `reprompts` may have for its kind; null (any) for an unknown kind. */
export function inputMapKeys(settings: Record<string, unknown>): Readonly<Record<string, readonly string[]>> | undefined {
  const kind = settings.kind;
  if (typeof kind !== "string" || !(kind in REPROMPT_KEYS)) return undefined;
  return { reprompts: REPROMPT_KEYS[kind] };
}
