// A bot's own actions, on its row of the bots list and on its screen: rename, its languages
// (and default language), delete after a confirmation that names it. Changes are
// PATCH /api/v1/bots/{bot_id} (BotUpdate: only the fields sent change); a refusal is shown
// from the problem's `detail`, and its `errors[]` at the fields they name.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage, fieldErrors } from "../api/errors";
import type { components } from "../api/schema";
import type { Bot } from "../api/types";
import { useApi } from "../context";

type BotUpdate = components["schemas"]["BotUpdate"];
type Mode = "rename" | "languages" | "delete";

/** The languages the builder names; a bot may have others (any code the API accepts). */
export const KNOWN_LANGUAGES = ["uk", "en"] as const;
export const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Z]{2})?$/;

function useLanguageName() {
  const { t } = useTranslation();
  return (code: string) => ((KNOWN_LANGUAGES as readonly string[]).includes(code) ? t(`bots.languageNames.${code}`) : code);
}

/** What a failed request shows: the detail, and the messages of the fields it names. */
interface Failure {
  detail: string;
  fields: Record<string, string>;
}

function failureOf(error: unknown): Failure {
  return { detail: errorMessage(error), fields: fieldErrors(error) };
}

function ErrorLine({ failure, text }: { failure: Failure | null; text: (detail: string) => string }) {
  if (!failure) return null;
  return (
    <p className="error" role="alert" data-testid="bot-settings-error">
      {text(failure.detail)}
    </p>
  );
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id} data-testid="field-error">
      {message}
    </p>
  );
}

function RenameForm({ bot, onDone, onCancel }: { bot: Bot; onDone: (bot: Bot) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [name, setName] = useState(bot.name);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    if (trimmed === bot.name) return onCancel();
    setBusy(true);
    setFailure(null);
    try {
      onDone(await api.patch("/api/v1/bots/{bot_id}", { path: { bot_id: bot.id }, body: { name: trimmed } }));
    } catch (e) {
      setFailure(failureOf(e));
      setBusy(false);
    }
  };

  const nameError = failure?.fields.name;
  return (
    <form className="bot-panel" onSubmit={submit} aria-label={t("bots.renameOf", { name: bot.name })} data-testid="bot-rename-form">
      <div className="field">
        <label htmlFor={`${id}-name`}>{t("bots.renameLabel")}</label>
        <input
          id={`${id}-name`}
          ref={input}
          data-testid="bot-rename-input"
          value={name}
          maxLength={120}
          required
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${id}-name-error` : undefined}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") onCancel();
          }}
        />
        <FieldError id={`${id}-name-error`} message={nameError} />
      </div>
      <div className="buttons">
        <button type="submit" className="button-primary" data-testid="bot-rename-save" disabled={busy || !name.trim()}>
          {busy ? t("bots.saving") : t("bots.renameSave")}
        </button>
        <button type="button" className="button-quiet" data-testid="bot-rename-cancel" onClick={onCancel}>
          {t("bots.cancel")}
        </button>
      </div>
      <ErrorLine failure={failure} text={(detail) => t("bots.failed", { detail })} />
    </form>
  );
}

function LanguagesForm({ bot, onDone, onCancel }: { bot: Bot; onDone: (bot: Bot) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const languageName = useLanguageName();
  const [languages, setLanguages] = useState<string[]>(bot.languages);
  const [defaultLanguage, setDefaultLanguage] = useState(bot.default_language);
  const [offered, setOffered] = useState<string[]>(() => [...new Set([...KNOWN_LANGUAGES, ...bot.languages])]);
  const [extra, setExtra] = useState("");
  const [extraError, setExtraError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const chosen = offered.filter((code) => code === defaultLanguage || languages.includes(code));
  const toggle = (code: string, on: boolean) =>
    setLanguages((list) => (on ? [...new Set([...list, code])] : list.filter((l) => l !== code)));

  const addExtra = () => {
    const code = extra.trim();
    if (!LANGUAGE_CODE.test(code)) {
      setExtraError(t("bots.languageCodeInvalid"));
      return;
    }
    setExtraError(null);
    setOffered((list) => (list.includes(code) ? list : [...list, code]));
    toggle(code, true);
    setExtra("");
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    const body: BotUpdate = { languages: chosen, default_language: defaultLanguage };
    try {
      onDone(await api.patch("/api/v1/bots/{bot_id}", { path: { bot_id: bot.id }, body }));
    } catch (e) {
      setFailure(failureOf(e));
      setBusy(false);
    }
  };

  const languagesError = failure?.fields.languages ?? Object.entries(failure?.fields ?? {}).find(([k]) => k.startsWith("languages/"))?.[1];
  const defaultError = failure?.fields.default_language;
  return (
    <form className="bot-panel" onSubmit={submit} aria-label={t("bots.editLanguagesOf", { name: bot.name })} data-testid="bot-languages-form">
      <fieldset className="field" aria-describedby={languagesError ? `${id}-languages-error` : undefined}>
        <legend>{t("bots.languages")}</legend>
        <div>
          {offered.map((code) => (
            <label key={code} className="checkbox">
              <input
                type="checkbox"
                data-testid={`bot-edit-language-${code}`}
                checked={chosen.includes(code)}
                disabled={code === defaultLanguage}
                onChange={(e) => toggle(code, e.target.checked)}
              />
              {languageName(code)}
            </label>
          ))}
        </div>
        <FieldError id={`${id}-languages-error`} message={languagesError} />
      </fieldset>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-default`}>{t("bots.defaultLanguage")}</label>
          <select
            id={`${id}-default`}
            data-testid="bot-edit-default-language"
            value={defaultLanguage}
            aria-invalid={defaultError ? true : undefined}
            aria-describedby={defaultError ? `${id}-default-error` : undefined}
            onChange={(e) => {
              setDefaultLanguage(e.target.value);
              toggle(e.target.value, true);
            }}
          >
            {chosen.map((code) => (
              <option key={code} value={code}>
                {languageName(code)}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-default-error`} message={defaultError} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-extra`}>{t("bots.addLanguage")}</label>
          <div className="input-with-button">
            <input
              id={`${id}-extra`}
              data-testid="bot-edit-language-new"
              value={extra}
              size={8}
              maxLength={6}
              placeholder="pl"
              aria-invalid={extraError ? true : undefined}
              aria-describedby={extraError ? `${id}-extra-error` : undefined}
              onChange={(e) => setExtra(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  addExtra();
                }
              }}
            />
            <button type="button" data-testid="bot-edit-language-add" onClick={addExtra} disabled={!extra.trim()}>
              {t("bots.addLanguageButton")}
            </button>
          </div>
          <FieldError id={`${id}-extra-error`} message={extraError ?? undefined} />
        </div>
      </div>
      <div className="buttons">
        <button type="submit" className="button-primary" data-testid="bot-settings-save" disabled={busy || chosen.length === 0}>
          {busy ? t("bots.saving") : t("bots.saveSettings")}
        </button>
        <button type="button" className="button-quiet" data-testid="bot-languages-cancel" onClick={onCancel}>
          {t("bots.cancel")}
        </button>
      </div>
      <ErrorLine failure={failure} text={(detail) => t("bots.failed", { detail })} />
    </form>
  );
}

function DeleteConfirm({ bot, onDone, onCancel }: { bot: Bot; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);

  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await api.delete("/api/v1/bots/{bot_id}", { path: { bot_id: bot.id } });
      onDone();
    } catch (e) {
      setFailure(failureOf(e));
      setBusy(false);
    }
  };

  return (
    <div className="bot-panel confirm-box" role="alertdialog" aria-labelledby={`${id}-question`} data-testid="bot-delete-dialog">
      <p id={`${id}-question`} data-testid="bot-delete-question">
        {t("bots.deleteQuestion", { name: bot.name })}
      </p>
      <div className="buttons">
        <button type="button" className="button-danger-solid" data-testid="bot-delete-confirm" disabled={busy} onClick={() => void confirm()}>
          {busy ? t("bots.deleting") : t("bots.deleteConfirm", { name: bot.name })}
        </button>
        <button type="button" ref={cancel} className="button-quiet" data-testid="bot-delete-cancel" onClick={onCancel}>
          {t("bots.cancel")}
        </button>
      </div>
      <ErrorLine failure={failure} text={(detail) => t("bots.deleteFailed", { detail })} />
    </div>
  );
}

/** The action buttons (then, below them, the open action's form), as a fragment: the parent
 * lays the buttons out beside the bot's name and the form across the full width. */
export function BotActions({
  bot,
  onUpdated,
  onDeleted,
  extra,
}: {
  bot: Bot;
  onUpdated: (bot: Bot) => void;
  onDeleted: (bot: Bot) => void;
  /** More buttons or links before the actions (the list's link to the bot's settings). */
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode | null>(null);
  const [saved, setSaved] = useState(false);
  const panelId = useId();
  const toggle = (next: Mode) => {
    setSaved(false);
    setMode((current) => (current === next ? null : next));
  };
  const done = (updated: Bot) => {
    setMode(null);
    setSaved(true);
    onUpdated(updated);
  };
  const close = () => setMode(null);
  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(false), 4000);
    return () => clearTimeout(timer);
  }, [saved]);

  return (
    <>
      <div className="bot-actions buttons" role="group" aria-label={bot.name}>
        {extra}
        <button
          type="button"
          className="small"
          data-testid="bot-rename"
          aria-expanded={mode === "rename"}
          aria-controls={mode === "rename" ? panelId : undefined}
          aria-label={t("bots.renameOf", { name: bot.name })}
          onClick={() => toggle("rename")}
        >
          {t("bots.rename")}
        </button>
        <button
          type="button"
          className="small"
          data-testid="bot-languages-edit"
          aria-expanded={mode === "languages"}
          aria-controls={mode === "languages" ? panelId : undefined}
          aria-label={t("bots.editLanguagesOf", { name: bot.name })}
          onClick={() => toggle("languages")}
        >
          {t("bots.editLanguages")}
        </button>
        <button
          type="button"
          className="small button-danger"
          data-testid="bot-delete"
          aria-expanded={mode === "delete"}
          aria-controls={mode === "delete" ? panelId : undefined}
          aria-label={t("bots.deleteOf", { name: bot.name })}
          onClick={() => toggle("delete")}
        >
          {t("bots.delete")}
        </button>
      </div>
      {(mode || saved) && (
        <div className="bot-actions__panel" id={panelId}>
          {mode === "rename" && <RenameForm bot={bot} onDone={done} onCancel={close} />}
          {mode === "languages" && <LanguagesForm bot={bot} onDone={done} onCancel={close} />}
          {mode === "delete" && <DeleteConfirm bot={bot} onDone={() => onDeleted(bot)} onCancel={close} />}
          {!mode && saved && (
            <p className="ok small" role="status" data-testid="bot-saved">
              {t("bots.saved")}
            </p>
          )}
        </div>
      )}
    </>
  );
}
