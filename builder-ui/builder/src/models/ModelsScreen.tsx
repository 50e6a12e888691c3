// The organization's language-model settings, on four tabs: its providers (#/models), its
// limits with what its bots spent (#/models/quota), where its notices go
// (#/models/notifications), and its speech engines (#/models/speech). What the current role may change: providers and notification
// targets the editor role, limits the admin role; below them every control that changes
// something is left out (the server refuses them anyway).
import { useTranslation } from "react-i18next";
import { routeHref, type ModelsTab } from "../routes";
import { allows, type Role } from "./forms";
import { ProvidersPanel } from "./ProvidersPanel";
import { QuotaPanel } from "./QuotaPanel";
import { SpeechPanel } from "./SpeechPanel";
import { TargetsPanel } from "./TargetsPanel";

export const MODELS_TABS: readonly ModelsTab[] = ["providers", "quota", "notifications", "speech"];

export function ModelsScreen({ tab = "providers", role }: { tab?: ModelsTab; role?: Role | null }) {
  const { t } = useTranslation();
  const canEdit = allows(role, "editor");
  return (
    <div className="page page-models">
      <h1>{t("models.title")}</h1>
      <nav className="subnav" aria-label={t("models.sections")}>
        {MODELS_TABS.map((name) => (
          <a
            key={name}
            href={routeHref({ name: "models", tab: name })}
            aria-current={tab === name ? "page" : undefined}
            data-testid={`models-tab-${name}`}
          >
            {t(`models.tabs.${name}`)}
          </a>
        ))}
      </nav>
      {!canEdit && role && (
        <p className="notice" data-testid="models-read-only">
          {t("models.readOnly", { role: t(`org.roles.${role}`, { defaultValue: role }) })}
        </p>
      )}
      {tab === "quota" ? (
        <QuotaPanel canEdit={allows(role, "admin")} />
      ) : tab === "notifications" ? (
        <TargetsPanel canEdit={canEdit} />
      ) : tab === "speech" ? (
        <SpeechPanel canEdit={canEdit} />
      ) : (
        <ProvidersPanel canEdit={canEdit} />
      )}
    </div>
  );
}
