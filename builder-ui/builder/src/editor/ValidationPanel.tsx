import { useTranslation } from "react-i18next";
import type { ProblemItem } from "../api/errors";
import type { Validation } from "../api/types";

export interface PanelIssue {
  path: string;
  message: string;
  code?: string;
  severity?: "error" | "warning";
  block_id?: string | null;
}

function IssueList({ issues, severity, onSelect }: { issues: PanelIssue[]; severity: "error" | "warning"; onSelect: (issue: PanelIssue) => void }) {
  const { t } = useTranslation();
  return (
    <>
      {issues.map((issue, i) => (
        <li key={`${severity}-${i}`}>
          <button
            type="button"
            className={`issue issue--${severity}`}
            data-testid="validation-item"
            data-severity={severity}
            data-code={issue.code}
            data-path={issue.path}
            onClick={() => onSelect(issue)}
          >
            <span className="issue__severity">{t(`editor.validation.${severity}`)}</span>
            <span className="issue__message">{issue.message}</span>
            <span className="issue__where">
              {issue.code ? `${issue.code} · ` : ""}
              {issue.path || "/"}
            </span>
          </button>
        </li>
      ))}
    </>
  );
}

export function ValidationPanel({
  validation,
  checkError,
  refused,
  onSelect,
}: {
  validation: Validation | null;
  checkError: string | null;
  /** The problems of a save the server refused (schema errors): the draft kept is older. */
  refused: ProblemItem[] | null;
  onSelect: (issue: PanelIssue) => void;
}) {
  const { t } = useTranslation();
  const errors = validation?.errors ?? [];
  const warnings = validation?.warnings ?? [];
  return (
    <section className="validation" aria-labelledby="validation-title" data-testid="validation-panel">
      <h2 id="validation-title">
        {t("editor.validation.title")}
        {validation && (
          <span className="validation__summary" data-testid="validation-summary">
            {" "}
            · {t("editor.validation.summary", { errors: errors.length, warnings: warnings.length })}
          </span>
        )}
      </h2>
      {checkError && (
        <p className="error" role="alert">
          {t("editor.validation.checkFailed", { detail: checkError })}
        </p>
      )}
      {refused && refused.length > 0 && (
        <>
          <p className="error">{t("editor.validation.saveRefused")}</p>
          <ul className="issues">
            <IssueList issues={refused} severity="error" onSelect={onSelect} />
          </ul>
        </>
      )}
      {!validation && !checkError && <p className="muted">{t("editor.validation.notChecked")}</p>}
      {validation && errors.length + warnings.length === 0 && (
        <p className="ok" data-testid="validation-empty">
          {t("editor.validation.none")}
        </p>
      )}
      {errors.length + warnings.length > 0 && (
        <ul className="issues">
          <IssueList issues={errors} severity="error" onSelect={onSelect} />
          <IssueList issues={warnings} severity="warning" onSelect={onSelect} />
        </ul>
      )}
    </section>
  );
}
