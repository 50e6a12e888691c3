// What the models section's panels share: a labelled field with its hint and its problem, the
// choice of one of the organization's secrets, problems of the client and of the server at
// their fields, and numbers, money and dates in the interface's language.
import type { ReactNode, Ref } from "react";
import { useTranslation } from "react-i18next";
import { fieldErrors } from "../api/errors";
import { routeHref } from "../routes";
import type { Load } from "../useLoad";
import type { Problem, Problems } from "./forms";

export interface FieldProps {
  id: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

/** A field: its label, the control (given its id and ARIA), a hint and a problem. */
export function Field({
  id,
  name,
  label,
  hint,
  error,
  className,
  children,
}: {
  /** The form's id (useId); the control's is `${id}-${name}`. */
  id: string;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  className?: string;
  children: (props: FieldProps) => ReactNode;
}) {
  const control = `${id}-${name}`;
  const describedBy = [error ? `${control}-error` : null, hint ? `${control}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={control}>{label}</label>
      {children({ id: control, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <p className="hint" id={`${control}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${control}-error`} data-testid={`error-${name}`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A problem of ours in the interface's language. */
export function useProblemText() {
  const { t } = useTranslation();
  return (problem: Problem | undefined): string | null => (problem ? t(problem.key, problem.values) : null);
}

/** The server's problems by the field they name: `recipients/0` is the recipients' field. */
export function serverFieldErrors(error: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors(error))) {
    const field = path.split("/")[0];
    if (field && !(field in found)) found[field] = message;
  }
  return found;
}

/** Each field's message: ours first (checked before sending), else the server's. */
export function useFieldMessages(local: Problems, server: Record<string, string>) {
  const text = useProblemText();
  return (field: string): string | null => text(local[field]) ?? server[field] ?? null;
}

export function useFormats() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  const integer = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
  const money = new Intl.NumberFormat(language, { style: "currency", currency: "USD", currencyDisplay: "narrowSymbol", minimumFractionDigits: 2, maximumFractionDigits: 4 });
  return {
    integer: (value: number) => integer.format(value),
    decimal: (value: number) => decimal.format(value),
    money: (value: number) => money.format(value),
    when: (iso: string) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(language);
    },
  };
}

/** One of the organization's secrets by name (GET /api/v1/secrets): a select over their
 * names, a name kept that no longer exists marked missing, and "none" when a secret is
 * optional; a text field when the names could not be read. */
export function SecretSelect({
  field,
  value,
  onChange,
  secrets,
  optional,
  noneLabel,
  testId,
}: {
  field: FieldProps;
  value: string;
  onChange: (value: string) => void;
  secrets: Load<string[]>;
  optional: boolean;
  noneLabel: string;
  testId: string;
}) {
  const { t } = useTranslation();
  if (secrets.state === "error") {
    return (
      <>
        <input {...field} className="mono" data-testid={testId} value={value} maxLength={64} autoComplete="off" spellCheck={false} onChange={(e) => onChange(e.target.value.trim())} />
        <span className="warning-text small">{t("models.secretsUnavailable", { detail: secrets.error })}</span>
      </>
    );
  }
  const names = secrets.state === "ready" ? secrets.data : [];
  // The name kept, until the list says whether the secret exists.
  const kept = value && !names.includes(value);
  return (
    <span className="input-with-button">
      <select {...field} className="mono" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{optional ? noneLabel : t("models.chooseSecret")}</option>
        {kept && <option value={value}>{secrets.state === "ready" ? t("models.secretMissing", { name: value }) : value}</option>}
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <a className="button-link small" href={routeHref({ name: "secrets" })}>
        {t("models.manageSecrets")}
      </a>
    </span>
  );
}

/** A deletion asked for once more, with the server's refusal when it says no. */
export function ConfirmDelete({
  question,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onCancel,
  testId,
  cancelRef,
}: {
  question: string;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  testId: string;
  cancelRef?: Ref<HTMLButtonElement>;
}) {
  const { t } = useTranslation();
  return (
    <div className="confirm-box" role="alertdialog" aria-label={question} data-testid={`${testId}-dialog`}>
      <p>{question}</p>
      <div className="buttons">
        <button type="button" className="button-danger-solid" data-testid={`${testId}-confirm`} disabled={busy} onClick={onConfirm}>
          {busy ? t("models.deleting") : confirmLabel}
        </button>
        <button type="button" ref={cancelRef} className="button-quiet" data-testid={`${testId}-cancel`} onClick={onCancel}>
          {t("models.cancel")}
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
