// The side panel's "Versions" tab: the scenario's published versions (newest first, the live
// one marked), a diff of one of them against the draft (marks on the canvas, the rest listed
// here) and a rollback, which publishes an old version's content as a new live version.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/errors";
import type { VersionRead } from "../api/types";
import { useApi } from "../context";
import { diffView, orderVersions, type DiffView } from "./versions";

type Listed = VersionRead & { isLive: boolean };
type Load = { state: "loading" } | { state: "error"; detail: string } | { state: "ready"; items: Listed[] };
type RollbackResult = { ok: true; number: number; from: number } | { ok: false; detail: string };

export function VersionsPanel({
  scenarioId,
  refreshKey,
  revision,
  diff,
  onDiff,
  beforeDiff,
  onFocusBlock,
}: {
  scenarioId: string;
  /** Incremented when the list is stale (a publish). */
  refreshKey: number;
  /** The draft's saved revision: a diff shown is fetched again when it changes. */
  revision: number;
  diff: DiffView | null;
  onDiff: (diff: DiffView | null) => void;
  /** Saves the draft first, so that the diff is with what the canvas shows. */
  beforeDiff: () => Promise<boolean>;
  onFocusBlock: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const changelogId = useId();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [diffState, setDiffState] = useState<{ version: number; busy: boolean; error: string | null } | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [changelog, setChangelog] = useState("");
  const [rolling, setRolling] = useState(false);
  const [result, setResult] = useState<RollbackResult | null>(null);
  const loadRun = useRef(0);
  const diffRun = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++loadRun.current;
    try {
      const [page, scenario] = await Promise.all([
        api.get("/api/v1/scenarios/{scenario_id}/versions", { path: { scenario_id: scenarioId }, query: { limit: 200 } }),
        api.get("/api/v1/scenarios/{scenario_id}", { path: { scenario_id: scenarioId } }),
      ]);
      if (mine !== loadRun.current) return;
      setLoad({ state: "ready", items: orderVersions(page.items, scenario.live_version) });
    } catch (e) {
      if (mine === loadRun.current) setLoad({ state: "error", detail: errorMessage(e) });
    }
  }, [api, scenarioId]);

  useEffect(() => {
    void refresh();
  }, [refresh, refreshKey]);

  const compare = useCallback(
    async (version: number, quiet = false) => {
      const mine = ++diffRun.current;
      if (!quiet) setDiffState({ version, busy: true, error: null });
      try {
        if (!quiet) await beforeDiff();
        const answer = await api.get("/api/v1/scenarios/{scenario_id}/diff", {
          path: { scenario_id: scenarioId },
          query: { from: String(version), to: "draft" },
        });
        if (mine !== diffRun.current) return;
        setDiffState({ version, busy: false, error: null });
        onDiff(diffView(answer, version));
      } catch (e) {
        if (mine !== diffRun.current) return;
        setDiffState({ version, busy: false, error: errorMessage(e) });
        if (!quiet) onDiff(null);
      }
    },
    [api, scenarioId, beforeDiff, onDiff],
  );

  // The draft was saved again while a diff is shown: the diff follows it.
  const shownVersion = diff?.from ?? null;
  const seenRevision = useRef(revision);
  useEffect(() => {
    if (revision === seenRevision.current) return;
    seenRevision.current = revision;
    if (shownVersion !== null) void compare(shownVersion, true);
  }, [revision, shownVersion, compare]);

  const close = () => {
    diffRun.current++;
    setDiffState(null);
    onDiff(null);
  };

  const rollback = async (event: FormEvent, number: number) => {
    event.preventDefault();
    setRolling(true);
    setResult(null);
    try {
      const text = changelog.trim();
      const published = await api.post("/api/v1/scenarios/{scenario_id}/versions/{number}/rollback", {
        path: { scenario_id: scenarioId, number },
        body: text ? { changelog: text } : {},
      });
      setResult({ ok: true, number: published.number, from: number });
      setConfirming(null);
      setChangelog("");
      await refresh();
    } catch (e) {
      setResult({ ok: false, detail: errorMessage(e) });
    } finally {
      setRolling(false);
    }
  };

  const when = (iso: string) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(i18n.language);
  };

  return (
    <section className="versions-panel" data-testid="versions-panel" aria-labelledby="versions-title">
      <div className="versions-panel__head">
        <h2 id="versions-title">{t("editor.versions.title")}</h2>
        <button type="button" className="small" data-testid="versions-refresh" onClick={() => void refresh()}>
          {t("editor.versions.refresh")}
        </button>
      </div>

      {diff && <DiffSummary diff={diff} onClose={close} onFocusBlock={onFocusBlock} />}
      {diffState?.error && (
        <p className="error" role="alert" data-testid="diff-error">
          {t("editor.versions.diffFailed", { detail: diffState.error })}
        </p>
      )}
      {result && (
        <p
          className={result.ok ? "rollback-result ok" : "rollback-result error"}
          role={result.ok ? "status" : "alert"}
          data-testid="rollback-result"
          data-ok={result.ok ? "true" : "false"}
          data-version={result.ok ? result.number : undefined}
        >
          {result.ok
            ? t("editor.versions.rollbackDone", { number: result.number, from: result.from })
            : t("editor.versions.rollbackFailed", { detail: result.detail })}
        </p>
      )}

      {load.state === "loading" && <p className="muted">{t("editor.versions.loading")}</p>}
      {load.state === "error" && (
        <p className="error" role="alert" data-testid="versions-error">
          {t("editor.versions.loadError", { detail: load.detail })}
        </p>
      )}
      {load.state === "ready" && load.items.length === 0 && (
        <p className="muted" data-testid="versions-empty">
          {t("editor.versions.empty")}
        </p>
      )}
      {load.state === "ready" && load.items.length > 0 && (
        <ol className="versions">
          {load.items.map((version) => {
            const comparing = diff?.from === version.number;
            const busy = diffState?.version === version.number && diffState.busy;
            return (
              <li
                key={version.number}
                className={`version-row${version.isLive ? " is-live" : ""}${comparing ? " is-compared" : ""}`}
                data-testid="version-row"
                data-version={version.number}
                data-live={version.isLive ? "true" : undefined}
              >
                <div className="version-row__head">
                  <strong>{t("editor.versions.number", { number: version.number })}</strong>
                  {version.isLive && <span className="badge badge-live">{t("editor.versions.live")}</span>}
                  <span className="muted small version-row__when">{when(version.created_at)}</span>
                </div>
                <p className={version.changelog ? "version-row__changelog" : "version-row__changelog muted"}>
                  {version.changelog || t("editor.versions.noChangelog")}
                </p>
                <p className="muted small">
                  {t("editor.versions.by", { author: version.author })}
                  {version.rolled_back_from !== null && ` · ${t("editor.versions.rolledBackFrom", { number: version.rolled_back_from })}`}
                </p>
                <div className="buttons">
                  <button
                    type="button"
                    className="small"
                    data-testid="version-diff"
                    aria-pressed={comparing}
                    disabled={busy}
                    onClick={() => (comparing ? close() : void compare(version.number))}
                  >
                    {busy ? t("editor.versions.diffLoading") : comparing ? t("editor.versions.closeDiff") : t("editor.versions.diff")}
                  </button>
                  <button
                    type="button"
                    className="small"
                    data-testid="version-rollback"
                    aria-expanded={confirming === version.number}
                    onClick={() => {
                      setConfirming(confirming === version.number ? null : version.number);
                      setChangelog("");
                    }}
                  >
                    {t("editor.versions.rollback", { number: version.number })}
                  </button>
                </div>
                {confirming === version.number && (
                  <form className="rollback-confirm" onSubmit={(e) => void rollback(e, version.number)}>
                    <p>{t("editor.versions.rollbackQuestion", { number: version.number })}</p>
                    <label htmlFor={changelogId} className="visually-hidden">
                      {t("editor.versions.rollbackChangelog")}
                    </label>
                    <input
                      id={changelogId}
                      data-testid="rollback-changelog"
                      value={changelog}
                      maxLength={2000}
                      placeholder={t("editor.versions.rollbackChangelog")}
                      onChange={(e) => setChangelog(e.target.value)}
                    />
                    <div className="buttons">
                      <button type="submit" className="button-primary" data-testid="rollback-confirm" disabled={rolling}>
                        {rolling ? t("editor.versions.rollingBack") : t("editor.versions.rollbackConfirm", { number: version.number })}
                      </button>
                      <button type="button" className="button-quiet" data-testid="rollback-cancel" onClick={() => setConfirming(null)}>
                        {t("editor.versions.cancel")}
                      </button>
                    </div>
                  </form>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function BlockList({ ids, onFocusBlock, testId }: { ids: string[]; onFocusBlock?: (id: string) => void; testId?: string }) {
  return (
    <ul className="diff-blocks">
      {ids.map((id) => (
        <li key={id} data-testid={testId} data-block-id={id}>
          {onFocusBlock ? (
            <button type="button" className="link" onClick={() => onFocusBlock(id)}>
              {id}
            </button>
          ) : (
            <code>{id}</code>
          )}
        </li>
      ))}
    </ul>
  );
}

function DiffSummary({ diff, onClose, onFocusBlock }: { diff: DiffView; onClose: () => void; onFocusBlock: (id: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="diff-summary" data-testid="diff-summary" data-version={diff.from} role="region" aria-labelledby="diff-title">
      <div className="diff-summary__head">
        <h3 id="diff-title">{t("editor.versions.diffTitle", { number: diff.from })}</h3>
        <button type="button" className="small" data-testid="diff-close" onClick={onClose}>
          {t("editor.versions.closeDiff")}
        </button>
      </div>
      <ul className="diff-legend" data-testid="diff-legend" aria-label={t("editor.versions.legend")}>
        <li>
          <span className="swatch swatch--added" aria-hidden="true" /> {t("editor.versions.legendAdded")}
        </li>
        <li>
          <span className="swatch swatch--changed" aria-hidden="true" /> {t("editor.versions.legendChanged")}
        </li>
        <li>
          <span className="swatch swatch--removed" aria-hidden="true" /> {t("editor.versions.legendRemoved")}
        </li>
      </ul>
      {diff.empty && <p className="muted">{t("editor.versions.noChanges")}</p>}
      {diff.added.length > 0 && (
        <>
          <h4>{t("editor.versions.added")}</h4>
          <BlockList ids={diff.added} onFocusBlock={onFocusBlock} testId="diff-added-item" />
        </>
      )}
      {diff.changed.length > 0 && (
        <>
          <h4>{t("editor.versions.changed")}</h4>
          <ul className="diff-blocks">
            {diff.changed.map((change) => (
              <li key={change.id} data-testid="diff-changed-item" data-block-id={change.id}>
                <button type="button" className="link" onClick={() => onFocusBlock(change.id)}>
                  {change.id}
                </button>
                {change.fields.length > 0 && <span className="muted small"> · {change.fields.join(", ")}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {diff.removed.length > 0 && (
        <>
          <h4>{t("editor.versions.removed")}</h4>
          <BlockList ids={diff.removed} testId="diff-removed-item" />
        </>
      )}
      <ul className="diff-notes muted small">
        {diff.moved.length > 0 && <li>{t("editor.versions.moved", { count: diff.moved.length })}</li>}
        {(diff.edgesAdded > 0 || diff.edgesRemoved > 0) && (
          <li>{t("editor.versions.edges", { added: diff.edgesAdded, removed: diff.edgesRemoved })}</li>
        )}
        {diff.variablesAdded.length > 0 && <li>{t("editor.versions.variablesAdded", { names: diff.variablesAdded.join(", ") })}</li>}
        {diff.variablesRemoved.length > 0 && <li>{t("editor.versions.variablesRemoved", { names: diff.variablesRemoved.join(", ") })}</li>}
        {diff.variablesChanged.length > 0 && <li>{t("editor.versions.variablesChanged", { names: diff.variablesChanged.join(", ") })}</li>}
        {diff.entryChanged && <li>{t("editor.versions.entryChanged")}</li>}
        {diff.detailsChanged && <li>{t("editor.versions.detailsChanged")}</li>}
      </ul>
    </div>
  );
}
