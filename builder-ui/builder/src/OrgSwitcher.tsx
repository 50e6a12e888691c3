// The header's organization switcher: the organization the session acts in and the user's
// role there; a menu of the user's memberships (GET /api/v1/me) where choosing another one
// switches (ApiClient.switchOrganization: a refresh with organization_id) and goes to the
// bots list; and "new organization" (POST /api/v1/organizations), then a switch to it.
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "./api/client";
import { ApiError, errorMessage } from "./api/errors";
import type { components } from "./api/schema";
import { useApi } from "./context";
import { navigate } from "./routes";

type Me = components["schemas"]["MeRead"];
type Load = { state: "idle" | "loading" } | { state: "error"; error: string } | { state: "ready"; me: Me };

export function OrgSwitcher({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [load, setLoad] = useState<Load>({ state: "idle" });
  const [switching, setSwitching] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const role = (value: string) => t(`org.roles.${value}`, { defaultValue: value });

  const fetchMe = async () => {
    setLoad({ state: "loading" });
    try {
      setLoad({ state: "ready", me: await api.get("/api/v1/me") });
    } catch (e) {
      setLoad({ state: "error", error: errorMessage(e) });
    }
  };

  // The memberships are read each time the menu opens (one may have been added meanwhile).
  useEffect(() => {
    if (open) void fetchMe();
    else {
      setCreating(false);
      setError(null);
    }
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        toggle.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  useEffect(() => {
    if (creating) nameInput.current?.focus();
  }, [creating]);

  /** Acts in `organizationId` from now on, from the bots list (screens of the organization
   * left behind are closed first). */
  const switchTo = async (organizationId: string) => {
    setSwitching(organizationId);
    setError(null);
    try {
      navigate({ name: "bots" });
      await api.switchOrganization(organizationId);
      setOpen(false);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 403 ? t("org.notMember") : t("org.switchFailed", { detail: errorMessage(e) }));
    } finally {
      setSwitching(null);
    }
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    setBusy(true);
    setError(null);
    let created: components["schemas"]["OrganizationRead"];
    try {
      created = await api.post("/api/v1/organizations", { body: { name: trimmed } });
    } catch (e) {
      setError(t("org.createFailed", { detail: errorMessage(e) }));
      setBusy(false);
      return;
    }
    setName("");
    setBusy(false);
    setCreating(false);
    await switchTo(created.id);
  };

  const current = session.organization;
  return (
    <div className="org-switcher" ref={root}>
      <button
        type="button"
        ref={toggle}
        className="org-switcher__toggle"
        data-testid="org-switcher"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        aria-label={t("org.switcher", { name: current.name, role: role(session.role) })}
        onClick={() => setOpen((on) => !on)}
      >
        <span className="org-switcher__name" data-testid="org-current" data-org-id={current.id}>
          {current.name}
        </span>
        <span className="org-switcher__role" data-testid="org-role">
          {role(session.role)}
        </span>
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="org-menu" id={`${id}-menu`} role="region" aria-label={t("org.menu")} data-testid="org-menu">
          <h2 className="org-menu__title">{t("org.menu")}</h2>
          {load.state === "loading" && <p className="muted small">{t("org.loading")}</p>}
          {load.state === "error" && (
            <div className="error-box" role="alert" data-testid="org-load-error">
              <p>{t("org.loadError", { detail: load.error })}</p>
              <button type="button" onClick={() => void fetchMe()}>
                {t("app.retry")}
              </button>
            </div>
          )}
          {load.state === "ready" && (
            <ul className="org-options">
              {load.me.memberships.map((membership) => {
                const org = membership.organization;
                const isCurrent = org.id === current.id;
                return (
                  <li key={org.id}>
                    <button
                      type="button"
                      className="org-option"
                      data-testid="org-option"
                      data-org-id={org.id}
                      aria-current={isCurrent ? "true" : undefined}
                      disabled={switching !== null}
                      onClick={() => (isCurrent ? setOpen(false) : void switchTo(org.id))}
                    >
                      <span className="org-option__name">{org.name}</span>
                      <span className="muted small">
                        {role(membership.role)}
                        {isCurrent && ` · ${t("org.current")}`}
                        {switching === org.id && ` · ${t("org.switching")}`}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          {creating ? (
            <form className="org-create" onSubmit={create}>
              <label htmlFor={`${id}-name`}>{t("org.createName")}</label>
              <input
                id={`${id}-name`}
                ref={nameInput}
                data-testid="org-create-name"
                value={name}
                maxLength={120}
                required
                placeholder={t("org.createPlaceholder")}
                onChange={(e) => setName(e.target.value)}
              />
              <div className="buttons">
                <button type="submit" className="button-primary small" data-testid="org-create-submit" disabled={busy || switching !== null || !name.trim()}>
                  {busy ? t("org.creating") : t("org.createSubmit")}
                </button>
                <button type="button" className="button-quiet small" onClick={() => setCreating(false)}>
                  {t("bots.cancel")}
                </button>
              </div>
            </form>
          ) : (
            <button type="button" className="small org-create-toggle" data-testid="org-create" onClick={() => setCreating(true)}>
              + {t("org.create")}
            </button>
          )}
          {error && (
            <p className="error small" role="alert" data-testid="org-error">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
