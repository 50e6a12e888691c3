// The settings that name what the scenario's `nlu` section defines, drawn as pickers of those
// names instead of the JSON area the schema form falls back to (their items are a name or a
// definition written in place): an intent block's `intents`, an entities block's `entities`,
// an input's `entity`. Definitions written in the block are kept as they are, listed, and
// editable as JSON ("Edit as JSON" shows the schema form's field). See nluReferences.ts.
// Test ids: `intent-pick-<name>` / `entity-pick-<name>` (checkboxes),
// `intent-pick-missing-<name>` / `entity-pick-missing-<name>` (remove a name the section lacks),
// `intent-pick-in-place-<name>` / `entity-pick-in-place-<name>`, `intent-pick-no-intents`,
// `entity-pick-no-entities`, `<prefix>-edit-json`; the input's `entity-select`,
// `entity-select-missing`, `entity-select-in-place`, `entity-select-edit-json`. (Names have no
// `-`, so these never clash with a name.)
import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ScenarioDocument } from "../api/types";
import { BUILTIN_ENTITIES, readEntities, readIntents } from "./nlu";
import { inPlaceName, readReferences, withoutReference, withReference } from "./nluReferences";
import type { CustomFieldProps, CustomFields } from "./SettingsForm";

/** The section's intents (name and description), in its order, each once. */
function sectionIntents(doc: ScenarioDocument | undefined): Array<{ name: string; description: string }> {
  const out: Array<{ name: string; description: string }> = [];
  for (const { name, description } of doc ? readIntents(doc) : []) {
    if (name !== "" && !out.some((i) => i.name === name)) out.push({ name, description });
  }
  return out;
}

/** The section's entity names, in its order, each once (a built-in's name is not the bot's). */
function sectionEntities(doc: ScenarioDocument | undefined): string[] {
  const out: string[] = [];
  for (const { name } of doc ? readEntities(doc) : []) {
    if (name !== "" && !out.includes(name) && !BUILTIN_ENTITIES.includes(name)) out.push(name);
  }
  return out;
}

function Legend({ title, description, required }: { title: string; description?: string; required: boolean }) {
  return (
    <legend title={description}>
      {title}
      {required && <span aria-hidden="true"> *</span>}
    </legend>
  );
}

/** "Edit as JSON": the schema form's field for the whole setting, on demand. */
function JsonToggle({ testId, open, onToggle, generic }: { testId: string; open: boolean; onToggle: () => void; generic: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" className="link small nlu-pick__json-toggle" data-testid={testId} aria-expanded={open} onClick={onToggle}>
        {open ? t("editor.nluPick.hideJson") : t("editor.nluPick.editJson")}
      </button>
      {open && <div className="nlu-pick__json">{generic}</div>}
    </>
  );
}

interface Group {
  title?: string;
  names: Array<{ name: string; description?: string }>;
  /** Shown instead of the checkboxes when the group has no names. */
  empty?: { testId: string; text: string };
}

/** Checkboxes for the names a list setting may take, the names it has that are not known (to
 * remove) and the definitions written in the block (kept, listed). */
function ReferencePicker({
  prefix,
  groups,
  props,
  missingText,
  inPlaceText,
}: {
  prefix: "intent-pick" | "entity-pick";
  groups: Group[];
  props: CustomFieldProps;
  missingText: (name: string) => string;
  inPlaceText: string;
}) {
  const { t } = useTranslation();
  const { model, required, value, apply, generic } = props;
  const order = groups.flatMap((g) => g.names.map((n) => n.name));
  const refs = readReferences(value, order);
  // Not a list at all: nothing here could show it, so the JSON shows it (and nothing is lost).
  const malformed = value !== undefined && value !== null && !Array.isArray(value);
  const [jsonOpen, setJsonOpen] = useState(malformed);
  const ownNames = new Set(refs.inPlace.map((i) => i.name));
  const write = (next: unknown[]) => apply(next.length === 0 && !required ? undefined : next);
  const toggle = (name: string, on: boolean) => write(on ? withReference(value, name, order) : withoutReference(value, name));
  return (
    <fieldset className="field form-group nlu-pick" data-testid={prefix} data-kind="nluPick">
      <Legend title={model.title} description={model.description} required={required} />
      {!malformed &&
        groups.map((group, g) => (
          <div className="nlu-pick__group" key={g}>
            {group.title && <p className="nlu-pick__title">{group.title}</p>}
            {group.names.length === 0 && group.empty ? (
              <p className="hint" data-testid={group.empty.testId}>
                {group.empty.text}
              </p>
            ) : (
              <div className="enum-set">
                {group.names.map(({ name, description }) => {
                  const checked = refs.named.has(name);
                  // The block writes one of this name itself: a second would be refused.
                  const taken = !checked && ownNames.has(name);
                  return (
                    <label key={name} className="checkbox" title={taken ? t("editor.nluPick.inPlaceTaken") : description || undefined}>
                      <input
                        type="checkbox"
                        data-testid={`${prefix}-${name}`}
                        checked={checked}
                        disabled={taken}
                        onChange={(e) => toggle(name, e.target.checked)}
                      />
                      {name}
                    </label>
                  );
                })}
              </div>
            )}
          </div>
        ))}
      {refs.missing.length > 0 && (
        <ul className="nlu-warnings nlu-pick__missing" role="alert">
          {refs.missing.map((name) => (
            <li key={name}>
              {missingText(name)}{" "}
              <button
                type="button"
                className="link"
                data-testid={`${prefix}-missing-${name}`}
                aria-label={t("editor.nluPick.removeName", { name })}
                onClick={() => write(withoutReference(value, name))}
              >
                {t("editor.nluPick.remove")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {refs.inPlace.length > 0 && (
        <div className="nlu-pick__in-place">
          <p className="hint">{inPlaceText}</p>
          <ul>
            {refs.inPlace.map((item) => (
              <li key={item.index} data-testid={`${prefix}-in-place-${item.name}`}>
                <code>{item.name}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {malformed && <p className="hint">{t("editor.nluPick.notList")}</p>}
      <JsonToggle testId={`${prefix}-edit-json`} open={jsonOpen} onToggle={() => setJsonOpen(!jsonOpen)} generic={generic} />
    </fieldset>
  );
}

/** An intent block's `intents`: the section's intents to tick. */
export function IntentPicker(props: CustomFieldProps) {
  const { t } = useTranslation();
  const groups: Group[] = [{ names: sectionIntents(props.doc), empty: { testId: "intent-pick-no-intents", text: t("editor.nluPick.noIntents") } }];
  return (
    <ReferencePicker
      prefix="intent-pick"
      groups={groups}
      props={props}
      missingText={(name) => t("editor.nluPick.missingIntent", { name })}
      inPlaceText={t("editor.nluPick.inPlaceIntents")}
    />
  );
}

/** An entities block's `entities`: the built-in entities and the section's to tick. */
export function EntityPicker(props: CustomFieldProps) {
  const { t } = useTranslation();
  const groups: Group[] = [
    { title: t("editor.nluPick.builtin"), names: BUILTIN_ENTITIES.map((name) => ({ name })) },
    {
      title: t("editor.nluPick.own"),
      names: sectionEntities(props.doc).map((name) => ({ name })),
      empty: { testId: "entity-pick-no-entities", text: t("editor.nluPick.noEntities") },
    },
  ];
  return (
    <ReferencePicker
      prefix="entity-pick"
      groups={groups}
      props={props}
      missingText={(name) => t("editor.nluPick.missingEntity", { name })}
      inPlaceText={t("editor.nluPick.inPlaceEntities")}
    />
  );
}

/** Stands for a definition written in the block among the select's names (a name has no `#`). */
const IN_PLACE = "#in-place";

/** An input's `entity`: none, a built-in entity or one of the section's; a definition written
 * in the block stays until another is chosen. */
export function EntitySelect({ model, required, value, doc, apply, generic }: CustomFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const entities = sectionEntities(doc);
  const inPlace = value !== undefined && value !== null && typeof value !== "string";
  const [jsonOpen, setJsonOpen] = useState(false);
  const name = typeof value === "string" ? value : "";
  const missing = name !== "" && !BUILTIN_ENTITIES.includes(name) && !entities.includes(name);
  const shown = inPlace ? IN_PLACE : name;
  return (
    <div className="field form-field nlu-pick" data-kind="nluSelect">
      <label htmlFor={id} title={model.description}>
        {model.title}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <select
        id={id}
        data-testid="entity-select"
        value={shown}
        aria-invalid={missing ? true : undefined}
        onChange={(e) => {
          const next = e.target.value;
          if (next === IN_PLACE) return;
          apply(next === "" ? undefined : next);
        }}
      >
        <option value="">{t("editor.nluPick.none")}</option>
        {inPlace && (
          <option value={IN_PLACE} data-testid="entity-select-in-place">
            {t("editor.nluPick.definedInBlock", { name: inPlaceName(value) })}
          </option>
        )}
        {missing && <option value={name}>{t("editor.nluPick.notInSection", { name })}</option>}
        <optgroup label={t("editor.nluPick.builtin")}>
          {BUILTIN_ENTITIES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </optgroup>
        {entities.length > 0 && (
          <optgroup label={t("editor.nluPick.own")}>
            {entities.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {missing && (
        <p className="field-error" role="alert" data-testid="entity-select-missing">
          {t("editor.nluPick.missingEntity", { name })}
        </p>
      )}
      {inPlace && <p className="hint">{t("editor.nluPick.inPlaceEntity")}</p>}
      {!inPlace && entities.length === 0 && <p className="hint">{t("editor.nluPick.noEntities")}</p>}
      <JsonToggle testId="entity-select-edit-json" open={jsonOpen} onToggle={() => setJsonOpen(!jsonOpen)} generic={generic} />
    </div>
  );
}

/** The custom fields of the NLU blocks (SettingsForm's `customFields`). */
export const NLU_FIELDS: CustomFields = {
  intent: { intents: IntentPicker },
  entities: { entities: EntityPicker },
  input: { entity: EntitySelect },
};
