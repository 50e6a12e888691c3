// One module's editor (#/modules/<name>), loaded on its own chunk (CodeMirror is large): the
// code in CodeMirror with the server's syntax errors marked at their line, the JSON schemas, the
// description, the cache time and the test cases. The draft is saved a moment after each change
// and with Save or Ctrl/Cmd+S (PUT /draft with If-Match: "<revision>"), then checked
// (/validate). A 409 (saved elsewhere meanwhile) is never overwritten silently: the author
// reloads theirs or keeps theirs own. Run tests (/test), publish with a changelog (every case
// must pass), and the published versions with their code read-only.
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, errorMessage } from "../api/errors";
import { useApi } from "../context";
import { addLeaveGuard, routeHref } from "../routes";
import { useLoad } from "../useLoad";
import { CodeEditor, type CodeDiagnostics, type CodeEditorHandle } from "./CodeEditor";
import {
  caseKey,
  codeMarks,
  draftBody,
  fieldOf,
  formOf,
  issuesByField,
  jsonText,
  MAX_CACHE_SECONDS,
  MAX_DESCRIPTION,
  MAX_TEST_CASES,
  offsetAt,
  problemIssues,
  sameDraft,
  sameForm,
  type DraftForm,
  type FieldProblems,
  type ModuleDetail,
  type ModuleIssue,
  type ModuleTestResult,
  type ModuleTestRun,
} from "./draft";
import { useWhen } from "./ModulesNav";

export type SaveStatus = "saved" | "unsaved" | "saving" | "error" | "conflict";

const AUTOSAVE_MS = 1000;

type RunState =
  | { state: "idle" }
  | { state: "running" }
  | { state: "done"; run: ModuleTestRun }
  | { state: "error"; detail: string; issues: ModuleIssue[] };

/** A JSON value as the result panels show it. */
function shown(value: unknown): string {
  return value === undefined ? "null" : jsonText(value);
}

function JsonField({
  id,
  label,
  hint,
  value,
  error,
  rows = 4,
  testId,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  error?: string;
  rows?: number;
  testId: string;
  onChange: (value: string) => void;
}) {
  const described = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="code"
        data-testid={testId}
        rows={rows}
        spellCheck={false}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function TestResults({ run, revision }: { run: RunState; revision: number }) {
  const { t } = useTranslation();
  const section = useRef<HTMLElement>(null);
  const finished = run.state === "done" || run.state === "error";
  useEffect(() => {
    // Run from the top of the page: the results come into view (jsdom has no scrolling).
    if (finished) section.current?.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
  }, [finished, run]);
  if (run.state === "idle") return null;
  return (
    <section ref={section} className="card module-section" aria-labelledby="module-results-title" data-testid="test-results" aria-live="polite" aria-busy={run.state === "running"}>
      <h2 id="module-results-title">{t("modules.test.title")}</h2>
      {run.state === "running" && <p className="muted">{t("modules.test.running")}</p>}
      {run.state === "error" && (
        <div className="error-box" role="alert" data-testid="test-run-error">
          <p>{t("modules.test.failed", { detail: run.detail })}</p>
          {run.issues.length > 0 && (
            <ul className="problem-list">
              {run.issues.map((issue, index) => (
                <li key={index}>{issue.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {run.state === "done" && (
        <>
          <p className={run.run.passed ? "ok" : "error"} data-testid="test-summary" data-passed={run.run.passed ? "true" : "false"}>
            {run.run.results.length === 0
              ? t("modules.test.none")
              : t("modules.test.summary", { passed: run.run.results.filter((r) => r.passed).length, total: run.run.results.length })}
          </p>
          {run.run.revision !== revision && (
            <p className="hint" data-testid="test-stale">
              {t("modules.test.stale", { revision: run.run.revision })}
            </p>
          )}
          <ol className="test-results">
            {run.run.results.map((result, index) => (
              <TestResultItem key={`${index}-${result.name}`} result={result} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function TestResultItem({ result }: { result: ModuleTestResult }) {
  const { t } = useTranslation();
  const logs = result.logs ?? [];
  return (
    <li className={`test-result test-result--${result.passed ? "pass" : "fail"}`} data-testid="test-result" data-passed={result.passed ? "true" : "false"}>
      <div className="test-result__head">
        <span className={`badge ${result.passed ? "badge-pass" : "badge-fail"}`}>{result.passed ? t("modules.test.pass") : t("modules.test.fail")}</span>
        <strong className="test-result__name">{result.name}</strong>
        <span className="muted small">{t("modules.test.ms", { ms: result.ms })}</span>
      </div>
      {result.error && (
        <p className="error test-result__error" data-testid="test-result-error">
          {result.error}
        </p>
      )}
      <div className="test-result__values">
        <div>
          <h4>{t("modules.test.output")}</h4>
          <pre className="json" data-testid="test-result-output">
            {shown(result.output)}
          </pre>
        </div>
        {!result.passed && (
          <div>
            <h4>{t("modules.test.expected")}</h4>
            <pre className="json" data-testid="test-result-expected">
              {shown(result.expected)}
            </pre>
          </div>
        )}
      </div>
      {logs.length > 0 && (
        <details className="test-result__logs" open={!result.passed}>
          <summary>{t("modules.test.logs", { count: logs.length })}</summary>
          <pre data-testid="test-result-logs">{logs.join("\n")}</pre>
        </details>
      )}
    </li>
  );
}

function PublishForm({
  name,
  beforePublish,
  revision,
  onPublished,
}: {
  name: string;
  beforePublish: () => Promise<boolean>;
  revision: () => number;
  onPublished: (number: number) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [changelog, setChangelog] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true; number: number } | { ok: false; detail: string; issues: ModuleIssue[] } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      if (!(await beforePublish())) {
        setResult({ ok: false, detail: t("modules.editor.saveFirst"), issues: [] });
        return;
      }
      const version = await api.post("/api/v1/modules/{name}/publish", {
        path: { name },
        // The revision the author sees: a draft saved meanwhile elsewhere is a 409.
        body: { changelog: changelog.trim(), revision: revision() },
      });
      setResult({ ok: true, number: version.number });
      setChangelog("");
      onPublished(version.number);
    } catch (e) {
      setResult({ ok: false, detail: errorMessage(e), issues: problemIssues(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card module-section" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="module-publish-form">
      <h2 id={`${id}-title`}>{t("modules.publish.title")}</h2>
      <p className="hint">{t("modules.publish.hint")}</p>
      <div className="field">
        <label htmlFor={`${id}-changelog`}>{t("modules.publish.changelog")}</label>
        <input
          id={`${id}-changelog`}
          data-testid="module-publish-changelog"
          value={changelog}
          maxLength={2000}
          placeholder={t("modules.publish.changelogPlaceholder")}
          onChange={(e) => setChangelog(e.target.value)}
        />
      </div>
      <button type="submit" className="button-primary" data-testid="module-publish" disabled={busy}>
        {busy ? t("modules.publish.publishing") : t("modules.publish.submit")}
      </button>
      {result?.ok && (
        <p className="ok" role="status" data-testid="module-publish-result" data-ok="true" data-version={result.number}>
          {t("modules.publish.done", { number: result.number })}
        </p>
      )}
      {result && !result.ok && (
        <div className="error-box" role="alert" data-testid="module-publish-result" data-ok="false">
          <p>{t("modules.publish.failed", { detail: result.detail })}</p>
          {result.issues.length > 0 && (
            <ul className="problem-list" data-testid="module-publish-failures">
              {result.issues.map((issue, index) => (
                <li key={index} data-testid="module-publish-failure">
                  {issue.line ? `${t("modules.editor.at", { line: issue.line, column: issue.column ?? 1 })}: ` : ""}
                  {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

function VersionCode({ name, number }: { name: string; number: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const { value, reload } = useLoad(() => api.get("/api/v1/modules/{name}/versions/{number}", { path: { name, number } }), [api, name, number]);
  if (value.state === "loading") return <p className="muted small">{t("app.loading")}</p>;
  if (value.state === "error") {
    return (
      <div className="error-box" role="alert">
        <p>{t("modules.versions.loadError", { detail: value.error })}</p>
        <button type="button" onClick={reload}>
          {t("app.retry")}
        </button>
      </div>
    );
  }
  const version = value.data;
  return (
    <div className="version-code" data-testid="module-version-code">
      <CodeEditor value={version.code} readOnly label={t("modules.versions.codeOf", { number })} testId="module-version-editor" />
      <details>
        <summary>{t("modules.versions.schemas")}</summary>
        <h4>{t("modules.editor.inputSchema")}</h4>
        <pre className="json">{jsonText(version.input_schema)}</pre>
        <h4>{t("modules.editor.outputSchema")}</h4>
        <pre className="json">{jsonText(version.output_schema)}</pre>
        <p className="muted small">{t("modules.versions.cache", { seconds: version.cache_seconds })}</p>
      </details>
    </div>
  );
}

function Versions({ name, refreshKey }: { name: string; refreshKey: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const when = useWhen();
  const { value, reload } = useLoad(() => api.get("/api/v1/modules/{name}/versions", { path: { name }, query: { limit: 200 } }), [api, name, refreshKey]);
  // Who published, by name: `published_by` is an actor (user:<id>, api_key:<id>).
  const members = useLoad(() => api.get("/api/v1/organization/members"), [api]);
  const who = (actor: string): string => {
    const user = /^user:(.+)$/.exec(actor);
    const member = user && members.value.state === "ready" ? members.value.data.find((m) => m.user_id === user[1]) : undefined;
    if (!member) return actor;
    return member.name ? `${member.name} (${member.email})` : member.email;
  };
  const [open, setOpen] = useState<number | null>(null);
  return (
    <section className="card module-section" aria-labelledby="module-versions-title" data-testid="module-versions">
      <h2 id="module-versions-title">{t("modules.versions.title")}</h2>
      {value.state === "loading" && <p className="muted small">{t("app.loading")}</p>}
      {value.state === "error" && (
        <div className="error-box" role="alert" data-testid="module-versions-error">
          <p>{t("modules.versions.error", { detail: value.error })}</p>
          <button type="button" onClick={reload}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {value.state === "ready" && value.data.items.length === 0 && (
        <p className="muted small" data-testid="module-versions-empty">
          {t("modules.versions.empty")}
        </p>
      )}
      {value.state === "ready" && value.data.items.length > 0 && (
        <ol className="versions module-versions">
          {value.data.items.map((version) => (
            <li key={version.number} className="version-row" data-testid="module-version" data-version={version.number}>
              <div className="version-row__head">
                <strong>{t("modules.versions.number", { number: version.number })}</strong>
                <button
                  type="button"
                  className="small"
                  data-testid="module-version-view"
                  aria-expanded={open === version.number}
                  onClick={() => setOpen((was) => (was === version.number ? null : version.number))}
                >
                  {open === version.number ? t("modules.versions.hide") : t("modules.versions.view")}
                </button>
              </div>
              <p className="version-row__changelog">{version.changelog || <span className="muted">{t("modules.versions.noChangelog")}</span>}</p>
              <p className="muted small">
                {t("modules.versions.by", { who: who(version.published_by) })} · <time dateTime={version.created_at}>{when(version.created_at)}</time>
              </p>
              {open === version.number && <VersionCode name={name} number={version.number} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ModuleEditor({ module, autosaveMs }: { module: ModuleDetail; autosaveMs: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const name = module.name;
  const tRef = useRef(t);
  tRef.current = t;

  // --- the form and what the server holds ------------------------------------------------------
  const [form, setFormState] = useState<DraftForm>(() => formOf(module));
  const formRef = useRef(form);
  const [saved, setSavedState] = useState<DraftForm>(form);
  const savedRef = useRef(saved);
  const [revision, setRevisionState] = useState(module.revision);
  const revisionRef = useRef(module.revision);
  const [latestVersion, setLatestVersion] = useState(module.latest_version);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [serverProblems, setServerProblems] = useState<FieldProblems>({});
  const [conflict, setConflictState] = useState<ModuleDetail | null>(null);
  const conflictRef = useRef<ModuleDetail | null>(null);
  const [attempted, setAttempted] = useState(false);
  const inFlight = useRef<Promise<boolean> | null>(null);

  const setForm = useCallback((next: DraftForm) => {
    formRef.current = next;
    setFormState(next);
    setServerProblems({});
  }, []);
  const edit = useCallback((change: (form: DraftForm) => DraftForm) => setForm(change(formRef.current)), [setForm]);
  const setConflict = (theirs: ModuleDetail | null) => {
    conflictRef.current = theirs;
    setConflictState(theirs);
  };
  const adopt = (next: number, sent: DraftForm) => {
    revisionRef.current = next;
    setRevisionState(next);
    savedRef.current = sent;
    setSavedState(sent);
  };

  const local = useMemo(() => draftBody(form, t), [form, t]);
  const localCount = Object.keys(local.problems).length;
  const dirty = !sameForm(form, saved);
  const status: SaveStatus = conflict ? "conflict" : saving ? "saving" : saveError ? "error" : dirty ? "unsaved" : "saved";

  // --- checking ---------------------------------------------------------------------------------
  const [validation, setValidation] = useState<{ text: string; issues: ModuleIssue[] } | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const validationRun = useRef(0);
  const validate = useCallback(
    async (code: string) => {
      const mine = ++validationRun.current;
      try {
        const report = await api.post("/api/v1/modules/{name}/validate", { path: { name } });
        if (mine !== validationRun.current) return;
        setValidation({ text: code, issues: report.errors });
        setCheckError(null);
      } catch (e) {
        if (mine === validationRun.current) setCheckError(errorMessage(e));
      }
    },
    [api, name],
  );
  const showIssues = (code: string, issues: ModuleIssue[]) => {
    ++validationRun.current;
    setValidation({ text: code, issues });
  };

  // --- saving -----------------------------------------------------------------------------------
  const putDraft = useCallback(
    async (sent: DraftForm, body: ReturnType<typeof draftBody>["body"]): Promise<boolean> => {
      setSaving(true);
      setSaveError(null);
      try {
        const answer = await api.put("/api/v1/modules/{name}/draft", {
          path: { name },
          headers: { "If-Match": `"${revisionRef.current}"` },
          body,
        });
        adopt(answer.revision, sent);
        setLatestVersion(answer.latest_version);
        void validate(sent.code);
        return true;
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) {
          let theirs: ModuleDetail;
          try {
            theirs = await api.get("/api/v1/modules/{name}", { path: { name } });
          } catch {
            setSaveError(errorMessage(e));
            return false;
          }
          if (sameDraft(theirs, body)) {
            // Ours went through (its answer was lost): only the revision is new.
            adopt(theirs.revision, sent);
            void validate(sent.code);
            return true;
          }
          setConflict(theirs);
          return false;
        }
        setSaveError(errorMessage(e));
        setServerProblems(issuesByField(problemIssues(e)));
        return false;
      } finally {
        setSaving(false);
      }
    },
    [api, name, validate],
  );

  /** Saves what the form holds; resolves true once the server has all of it. */
  const save = useCallback(async (): Promise<boolean> => {
    while (inFlight.current) await inFlight.current;
    if (conflictRef.current) return false;
    const sent = formRef.current;
    if (sameForm(sent, savedRef.current)) return true;
    const { body, problems } = draftBody(sent, tRef.current);
    if (Object.keys(problems).length) {
      setAttempted(true);
      return false;
    }
    const run: Promise<boolean> = putDraft(sent, body).finally(() => {
      if (inFlight.current === run) inFlight.current = null;
    });
    inFlight.current = run;
    if (!(await run)) return false;
    return sameForm(formRef.current, savedRef.current) ? true : save(); // changed meanwhile
  }, [putDraft]);

  const saveNow = useCallback(() => {
    setAttempted(true);
    return save();
  }, [save]);

  // A moment after each change, when the form can be sent.
  useEffect(() => {
    if (conflict || !dirty || localCount > 0) return;
    const timer = setTimeout(() => void save(), autosaveMs);
    return () => clearTimeout(timer);
  }, [form, conflict, dirty, localCount, save, autosaveMs]);

  useEffect(() => {
    void validate(module.code);
  }, [validate, module.code]);

  // Ctrl/Cmd+S anywhere in the editor (the code, a field, a button).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        void saveNow();
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [saveNow]);

  // --- leaving ----------------------------------------------------------------------------------
  // Unsaved changes that a save would not take by itself (the form has problems, a save failed,
  // or a conflict waits for the author) make leaving ask first; the others are saved on the way.
  const stuck = dirty && (localCount > 0 || saveError !== null || conflict !== null);
  const leaving = useRef({ dirty, stuck });
  leaving.current = { dirty: dirty || conflict !== null, stuck: stuck || conflict !== null };
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!leaving.current.dirty) return;
      event.preventDefault();
      event.returnValue = tRef.current("modules.editor.leave");
    };
    // Another screen of the app (a link, Back): the app asks before it follows.
    const removeGuard = addLeaveGuard(() => {
      if (!leaving.current.stuck) return true;
      if (!window.confirm(tRef.current("modules.editor.leave"))) return false;
      leaving.current = { dirty: false, stuck: false };
      return true;
    });
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      removeGuard();
      window.removeEventListener("beforeunload", onBeforeUnload);
    };
  }, []);
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(
    () => () => {
      // Leaving the editor: whatever can still be saved goes to the server.
      if (leaving.current.dirty && !leaving.current.stuck) void saveRef.current();
    },
    [],
  );

  // --- the conflict -----------------------------------------------------------------------------
  const reloadTheirs = () => {
    const theirs = conflictRef.current;
    if (!theirs) return;
    const next = formOf(theirs);
    setForm(next);
    adopt(theirs.revision, next);
    setLatestVersion(theirs.latest_version);
    setSaveError(null);
    setConflict(null);
    void validate(theirs.code);
  };
  const keepMine = async () => {
    const theirs = conflictRef.current;
    if (!theirs) return;
    let latest = theirs.revision;
    try {
      latest = (await api.get("/api/v1/modules/{name}", { path: { name } })).revision;
    } catch {
      // the revision the conflict reported
    }
    revisionRef.current = latest;
    setRevisionState(latest);
    setConflict(null);
    await save();
  };

  // --- tests and publishing ----------------------------------------------------------------------
  const [run, setRun] = useState<RunState>({ state: "idle" });
  const [versionsKey, setVersionsKey] = useState(0);
  const runTests = async () => {
    setRun({ state: "running" });
    if (!(await saveNow())) {
      setRun({ state: "error", detail: t("modules.editor.saveFirst"), issues: [] });
      return;
    }
    try {
      const result = await api.post("/api/v1/modules/{name}/test", { path: { name } });
      setRun({ state: "done", run: result });
    } catch (e) {
      const issues = problemIssues(e);
      if (issues.length) showIssues(savedRef.current.code, issues);
      setRun({ state: "error", detail: errorMessage(e), issues });
    }
  };

  // --- what is shown at each field ----------------------------------------------------------------
  const editor = useRef<CodeEditorHandle>(null);
  const issues = validation?.issues ?? [];
  const checked = useMemo(() => issuesByField(issues), [issues]);
  const problemAt = (field: string): string | undefined => local.problems[field] ?? serverProblems[field] ?? (field === "code" ? undefined : checked[field]);
  const diagnostics = useMemo<CodeDiagnostics | null>(
    () => (validation ? { text: validation.text, marks: codeMarks(validation.text, validation.issues) } : null),
    [validation],
  );
  const setCase = (index: number, change: Partial<DraftForm["testCases"][number]>) =>
    edit((f) => ({ ...f, testCases: f.testCases.map((c, i) => (i === index ? { ...c, ...change } : c)) }));
  const addCase = () =>
    edit((f) => ({ ...f, testCases: [...f.testCases, { key: caseKey(), name: t("modules.cases.defaultName", { n: f.testCases.length + 1 }), input: "{}", expected: "{}" }] }));
  const removeCase = (index: number) => edit((f) => ({ ...f, testCases: f.testCases.filter((_, i) => i !== index) }));
  const allProblems = { ...checked, ...serverProblems, ...local.problems };
  const problemFields = Object.keys({ ...serverProblems, ...local.problems });

  return (
    <div className="page page-wide module-editor" data-testid="module-editor" data-module={name}>
      <p>
        <a href={routeHref({ name: "modules" })} data-testid="module-back">
          ← {t("modules.editor.back")}
        </a>
      </p>
      <div className="module-head">
        <h1 className="mono" data-testid="module-title">
          {name}
        </h1>
        <span className="badge" data-testid="module-latest" data-version={latestVersion}>
          {latestVersion ? t("modules.list.version", { number: latestVersion }) : t("modules.list.notPublished")}
        </span>
        <span className="muted small" data-testid="module-revision">
          {t("modules.editor.revision", { revision })}
        </span>
        <span className={`save-status save-status--${status}`} data-testid="module-save-status" data-state={status} role="status">
          {t(`modules.editor.status.${status}`)}
        </span>
        <div className="buttons module-head__actions">
          <button
            type="button"
            data-testid="module-save"
            aria-keyshortcuts="Control+S Meta+S"
            title={t("modules.editor.saveShortcut")}
            disabled={saving || status === "conflict"}
            onClick={() => void saveNow()}
          >
            {t("modules.editor.save")}
          </button>
          {run.state === "done" && run.run.results.length > 0 && (
            <span className={`badge ${run.run.passed ? "badge-pass" : "badge-fail"}`} data-testid="test-summary-chip">
              {t("modules.test.summary", { passed: run.run.results.filter((r) => r.passed).length, total: run.run.results.length })}
            </span>
          )}
          <button type="button" className="button-primary" data-testid="module-run-tests" disabled={run.state === "running"} onClick={() => void runTests()}>
            ▶ {run.state === "running" ? t("modules.test.running") : t("modules.test.run")}
          </button>
        </div>
      </div>

      {conflict && (
        <div className="banner banner--warning" role="alert" data-testid="module-conflict">
          <span>{t("modules.editor.conflict", { revision: conflict.revision })}</span>
          <button type="button" data-testid="module-conflict-reload" onClick={reloadTheirs}>
            {t("modules.editor.reloadTheirs")}
          </button>
          <button type="button" className="button-primary" data-testid="module-conflict-keep" onClick={() => void keepMine()}>
            {t("modules.editor.keepMine")}
          </button>
        </div>
      )}
      {saveError && (
        <div className="banner banner--error" role="alert" data-testid="module-save-error">
          <span>{t("modules.editor.saveFailed", { detail: saveError })}</span>
          <button type="button" onClick={() => void saveNow()}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {attempted && dirty && problemFields.length > 0 && (
        <div className="banner banner--error" role="alert" data-testid="module-form-problems">
          <span>{t("modules.editor.fixFirst", { count: problemFields.length })}</span>
        </div>
      )}

      <div className="module-grid">
        <div className="module-main">
          <section className="card module-section" aria-labelledby={`${id}-code-title`} data-testid="module-code">
            <h2 id={`${id}-code-title`}>{t("modules.editor.code")}</h2>
            <p className="hint" id={`${id}-code-hint`}>
              {t("modules.editor.codeHint")}
            </p>
            <CodeEditor
              ref={editor}
              value={form.code}
              onChange={(code) => edit((f) => ({ ...f, code }))}
              label={t("modules.editor.codeLabel")}
              describedBy={`${id}-code-hint`}
              diagnostics={diagnostics}
              testId="module-code-editor"
            />
            {problemAt("code") && (
              <p className="field-error" data-testid="module-code-error">
                {problemAt("code")}
              </p>
            )}
            <div className="module-problems" data-testid="module-problems" aria-live="polite">
              {checkError && (
                <p className="error" data-testid="module-check-error">
                  {t("modules.editor.checkFailed", { detail: checkError })}
                </p>
              )}
              {validation && validation.issues.length === 0 && !checkError && (
                <p className="ok small" data-testid="module-valid">
                  ✓ {t("modules.editor.valid")}
                </p>
              )}
              {issues.length > 0 && (
                <>
                  <h3>{t("modules.editor.problems", { count: issues.length })}</h3>
                  <ul className="problem-list">
                    {issues.map((issue, index) => {
                      const field = fieldOf(issue.path);
                      const where = issue.line ? t("modules.editor.at", { line: issue.line, column: issue.column ?? 1 }) : issue.path;
                      return (
                        <li key={index} data-testid="module-problem" data-line={issue.line ?? undefined} data-path={issue.path}>
                          {field === "code" && issue.line ? (
                            <button
                              type="button"
                              className="link"
                              onClick={() => editor.current?.focusAt(offsetAt(form.code, issue.line, issue.column))}
                            >
                              {where}
                            </button>
                          ) : (
                            <code>{where}</code>
                          )}
                          : {issue.message}
                        </li>
                      );
                    })}
                  </ul>
                </>
              )}
            </div>
          </section>

          <section className="card module-section" aria-labelledby={`${id}-cases-title`} data-testid="test-cases">
            <div className="section-head">
              <h2 id={`${id}-cases-title`}>{t("modules.cases.title")}</h2>
              <button type="button" className="small" data-testid="case-add" disabled={form.testCases.length >= MAX_TEST_CASES} onClick={addCase}>
                + {t("modules.cases.add")}
              </button>
            </div>
            <p className="hint">{t("modules.cases.hint")}</p>
            {allProblems.test_cases && <p className="field-error">{allProblems.test_cases}</p>}
            {form.testCases.length === 0 ? (
              <p className="muted small" data-testid="cases-empty">
                {t("modules.cases.empty")}
              </p>
            ) : (
              <ol className="cases">
                {form.testCases.map((c, index) => {
                  const base = `${id}-case-${c.key}`;
                  const nameError = problemAt(`test_cases/${index}/name`);
                  return (
                    <li key={c.key} className="case" data-testid="test-case" data-index={index}>
                      <div className="case__head">
                        <div className="field">
                          <label htmlFor={`${base}-name`}>{t("modules.cases.name")}</label>
                          <input
                            id={`${base}-name`}
                            data-testid="case-name"
                            value={c.name}
                            maxLength={120}
                            aria-invalid={nameError ? true : undefined}
                            aria-describedby={nameError ? `${base}-name-error` : undefined}
                            onChange={(e) => setCase(index, { name: e.target.value })}
                          />
                          {nameError && (
                            <p className="field-error" id={`${base}-name-error`} data-testid="case-name-error">
                              {nameError}
                            </p>
                          )}
                        </div>
                        <button
                          type="button"
                          className="button-danger small"
                          data-testid="case-remove"
                          aria-label={t("modules.cases.removeOf", { name: c.name || index + 1 })}
                          onClick={() => removeCase(index)}
                        >
                          {t("modules.cases.remove")}
                        </button>
                      </div>
                      <div className="case__json">
                        <JsonField
                          id={`${base}-input`}
                          label={t("modules.cases.input")}
                          value={c.input}
                          rows={3}
                          testId="case-input"
                          error={problemAt(`test_cases/${index}/input`)}
                          onChange={(input) => setCase(index, { input })}
                        />
                        <JsonField
                          id={`${base}-expected`}
                          label={t("modules.cases.expected")}
                          value={c.expected}
                          rows={3}
                          testId="case-expected"
                          error={problemAt(`test_cases/${index}/expected`)}
                          onChange={(expected) => setCase(index, { expected })}
                        />
                      </div>
                    </li>
                  );
                })}
              </ol>
            )}
          </section>

          <TestResults run={run} revision={revision} />
        </div>

        <div className="module-side">
          <PublishForm
            name={name}
            beforePublish={saveNow}
            revision={() => revisionRef.current}
            onPublished={(number) => {
              setLatestVersion(number);
              setVersionsKey((n) => n + 1);
            }}
          />
          <Versions name={name} refreshKey={versionsKey} />
          <section className="card module-section" aria-labelledby={`${id}-settings-title`} data-testid="module-settings">
            <h2 id={`${id}-settings-title`}>{t("modules.editor.settings")}</h2>
            <div className="field">
              <label htmlFor={`${id}-description`}>{t("modules.editor.description")}</label>
              <textarea
                id={`${id}-description`}
                data-testid="module-edit-description"
                rows={2}
                maxLength={MAX_DESCRIPTION}
                value={form.description}
                aria-invalid={problemAt("description") ? true : undefined}
                onChange={(e) => edit((f) => ({ ...f, description: e.target.value }))}
              />
              {problemAt("description") && <p className="field-error">{problemAt("description")}</p>}
            </div>
            <div className="field">
              <label htmlFor={`${id}-cache`}>{t("modules.editor.cache")}</label>
              <input
                id={`${id}-cache`}
                type="number"
                inputMode="numeric"
                data-testid="module-cache"
                min={0}
                max={MAX_CACHE_SECONDS}
                step={1}
                value={form.cacheSeconds}
                aria-invalid={problemAt("cache_seconds") ? true : undefined}
                aria-describedby={`${id}-cache-hint${problemAt("cache_seconds") ? ` ${id}-cache-error` : ""}`}
                onChange={(e) => edit((f) => ({ ...f, cacheSeconds: e.target.value }))}
              />
              <p className="hint" id={`${id}-cache-hint`}>
                {t("modules.editor.cacheHint")}
              </p>
              {problemAt("cache_seconds") && (
                <p className="field-error" id={`${id}-cache-error`} data-testid="module-cache-error">
                  {problemAt("cache_seconds")}
                </p>
              )}
            </div>
            <JsonField
              id={`${id}-input-schema`}
              label={t("modules.editor.inputSchema")}
              hint={t("modules.editor.schemaHint")}
              value={form.inputSchema}
              testId="module-input-schema"
              error={problemAt("input_schema")}
              onChange={(inputSchema) => edit((f) => ({ ...f, inputSchema }))}
            />
            <JsonField
              id={`${id}-output-schema`}
              label={t("modules.editor.outputSchema")}
              value={form.outputSchema}
              testId="module-output-schema"
              error={problemAt("output_schema")}
              onChange={(outputSchema) => edit((f) => ({ ...f, outputSchema }))}
            />
          </section>
        </div>
      </div>
    </div>
  );
}

/** The screen of #/modules/<name>: the module loaded, then its editor. */
export default function ModuleEditorScreen({ name, autosaveMs = AUTOSAVE_MS }: { name: string; autosaveMs?: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const { value, reload } = useLoad(() => api.get("/api/v1/modules/{name}", { path: { name } }), [api, name]);
  if (value.state === "ready") return <ModuleEditor key={value.data.id} module={value.data} autosaveMs={autosaveMs} />;
  return (
    <div className="page">
      <p>
        <a href={routeHref({ name: "modules" })}>← {t("modules.editor.back")}</a>
      </p>
      <h1 className="mono">{name}</h1>
      {value.state === "loading" && (
        <p className="muted" data-testid="module-loading">
          {t("app.loading")}
        </p>
      )}
      {value.state === "error" && (
        <div className="error-box" role="alert" data-testid="module-load-error">
          <p>{t("modules.editor.loadError", { detail: value.error })}</p>
          <button type="button" onClick={reload}>
            {t("app.retry")}
          </button>
        </div>
      )}
    </div>
  );
}
