// What the module and secret screens share: their two tabs and how they show a date.
import { useTranslation } from "react-i18next";
import { routeHref } from "../routes";

export function ModulesNav({ current }: { current: "modules" | "secrets" }) {
  const { t } = useTranslation();
  const tabs = [
    { name: "modules" as const, label: t("modules.nav") },
    { name: "secrets" as const, label: t("secrets.nav") },
  ];
  return (
    <nav className="subnav" aria-label={t("modules.sections")}>
      {tabs.map((tab) => (
        <a
          key={tab.name}
          href={routeHref({ name: tab.name })}
          aria-current={current === tab.name ? "page" : undefined}
          data-testid={`library-tab-${tab.name}`}
        >
          {tab.label}
        </a>
      ))}
    </nav>
  );
}

/** A date and time of the API in the interface's language. */
export function useWhen() {
  const { i18n } = useTranslation();
  return (iso: string) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(i18n.language);
  };
}
