// The builder's texts in English and Ukrainian. `uk` has the type of `en`, so a missing
// Ukrainian text is a type error.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

const en = {
  app: {
    title: "Rozmova builder",
    language: "Interface language",
    logout: "Log out",
    bots: "Bots",
    loading: "Loading…",
    retry: "Try again",
    skip: "Skip to content",
  },
  login: {
    title: "Log in",
    email: "Email",
    password: "Password",
    submit: "Log in",
    submitting: "Logging in…",
    hint: "A local run creates the admin admin@example.com and prints its password once.",
  },
  bots: {
    title: "Bots",
    empty: "No bots yet. Create the first one below.",
    error: "Could not load the bots: {{detail}}",
    languages: "Languages",
    defaultLanguage: "Default language",
    create: "New bot",
    name: "Name",
    namePlaceholder: "Coffee shop",
    submit: "Create bot",
    creating: "Creating…",
    languageNames: { uk: "Ukrainian", en: "English" },
    scenarios: "Scenarios",
    open: "Open",
  },
  scenarios: {
    title: "Scenarios of {{bot}}",
    back: "All bots",
    empty: "No scenarios yet. Create the first one below.",
    error: "Could not load the scenarios: {{detail}}",
    create: "New scenario",
    name: "Name",
    namePlaceholder: "Orders",
    submit: "Create scenario",
    creating: "Creating…",
    revision: "Draft revision {{revision}}",
    live: "Live: version {{version}}",
    notPublished: "Not published",
  },
  editor: {
    loadError: "Could not open the scenario: {{detail}}",
    back: "Scenarios",
    canvas: "Scenario canvas",
    minimap: "Mini map",
    save: {
      saved: "saved",
      saving: "saving",
      unsaved: "unsaved",
      error: "error",
      conflict: "conflict",
      failed: "Saving failed: {{detail}}",
      retrying: "Retrying in {{seconds}} s.",
      retryNow: "Retry now",
      leave: "There are unsaved changes. Leave anyway?",
    },
    conflict: {
      text: "Someone else saved this scenario (now revision {{revision}}) while you were editing it.",
      theirs: "Reload theirs",
      mine: "Keep mine",
    },
    backup: {
      text: "This browser kept unsaved changes to this scenario from {{time}}.",
      restore: "Restore them",
      discard: "Discard them",
    },
    palette: {
      title: "Blocks",
      hint: "Click a block to add it, or drag it onto the canvas.",
      add: "Add block {{type}}: {{description}}",
      categories: {
        messaging: "Messaging",
        logic: "Logic",
        flow: "Flow",
        integrations: "Integrations",
        other: "Other",
      },
    },
    node: {
      start: "start",
      brokenPort: "This port does not exist on the block",
      unknownType: "Unknown block type",
    },
    tabs: { label: "Side panel", inspector: "Inspector", test: "Test chat" },
    inspector: {
      empty: "Select a block to edit it.",
      scenario: "Scenario",
      start: "Start block",
      variables: "Variables (JSON list)",
      blockTitle: "Block {{id}}",
      name: "Name",
      namePlaceholder: "Optional: what the block is for",
      settings: "Settings (JSON)",
      apply: "Apply",
      reset: "Undo edits",
      invalidJson: "Not valid JSON: {{detail}}",
      notObject: "Settings must be a JSON object.",
      notList: "Variables must be a JSON list.",
      applyHint: "Ctrl+Enter applies.",
      text: "{{field}} ({{language}})",
      ports: "Ports",
      noPorts: "This block has no outgoing ports.",
      unconnected: "not connected",
      makeStart: "Make it the start",
      isStart: "This is the start block.",
      delete: "Delete block",
      description: "Type",
    },
    validation: {
      title: "Problems",
      summary: "{{errors}} errors, {{warnings}} warnings",
      none: "No problems found.",
      notChecked: "Not checked yet.",
      error: "error",
      warning: "warning",
      saveRefused: "Not saved; the server refused the document:",
      checkFailed: "Could not check the draft: {{detail}}",
    },
    test: {
      title: "Test chat",
      start: "Test",
      restart: "Restart",
      running: "Preview conversation",
      intro: "Press “Test” to talk to the draft as it is now.",
      starting: "Starting…",
      input: "Your message",
      send: "Send",
      ended: "The conversation has ended.",
      waiting: "Waiting at block {{block}}",
      errors: "The draft cannot run yet:",
      saveFirst: "The draft could not be saved, so it cannot be tested yet.",
      you: "You",
      bot: "Bot",
      pause: "(pause {{seconds}} s)",
      handoff: "(passed to an operator)",
      failed: "Test failed: {{detail}}",
    },
    publish: {
      changelog: "What changed",
      changelogPlaceholder: "Changelog (optional)",
      submit: "Publish",
      publishing: "Publishing…",
      done: "Published version {{number}}.",
      warnings: "{{count}} warnings.",
      failed: "Not published: {{detail}}",
    },
  },
};

export type Messages = typeof en;

const uk: Messages = {
  app: {
    title: "Конструктор Rozmova",
    language: "Мова інтерфейсу",
    logout: "Вийти",
    bots: "Боти",
    loading: "Завантаження…",
    retry: "Спробувати ще раз",
    skip: "Перейти до вмісту",
  },
  login: {
    title: "Вхід",
    email: "Електронна пошта",
    password: "Пароль",
    submit: "Увійти",
    submitting: "Входимо…",
    hint: "Локальний запуск створює адміністратора admin@example.com і один раз друкує його пароль.",
  },
  bots: {
    title: "Боти",
    empty: "Ботів ще немає. Створіть першого нижче.",
    error: "Не вдалося завантажити ботів: {{detail}}",
    languages: "Мови",
    defaultLanguage: "Основна мова",
    create: "Новий бот",
    name: "Назва",
    namePlaceholder: "Кав’ярня",
    submit: "Створити бота",
    creating: "Створюємо…",
    languageNames: { uk: "Українська", en: "Англійська" },
    scenarios: "Сценарії",
    open: "Відкрити",
  },
  scenarios: {
    title: "Сценарії бота {{bot}}",
    back: "Усі боти",
    empty: "Сценаріїв ще немає. Створіть перший нижче.",
    error: "Не вдалося завантажити сценарії: {{detail}}",
    create: "Новий сценарій",
    name: "Назва",
    namePlaceholder: "Замовлення",
    submit: "Створити сценарій",
    creating: "Створюємо…",
    revision: "Ревізія чернетки {{revision}}",
    live: "Діє версія {{version}}",
    notPublished: "Не опубліковано",
  },
  editor: {
    loadError: "Не вдалося відкрити сценарій: {{detail}}",
    back: "Сценарії",
    canvas: "Полотно сценарію",
    minimap: "Мінікарта",
    save: {
      saved: "збережено",
      saving: "зберігається",
      unsaved: "не збережено",
      error: "помилка",
      conflict: "конфлікт",
      failed: "Не вдалося зберегти: {{detail}}",
      retrying: "Повторна спроба за {{seconds}} с.",
      retryNow: "Повторити зараз",
      leave: "Є незбережені зміни. Все одно піти?",
    },
    conflict: {
      text: "Хтось інший зберіг цей сценарій (тепер ревізія {{revision}}), поки ви його редагували.",
      theirs: "Завантажити їхню версію",
      mine: "Залишити мою",
    },
    backup: {
      text: "У цьому браузері збереглися незбережені зміни цього сценарію від {{time}}.",
      restore: "Відновити",
      discard: "Відкинути",
    },
    palette: {
      title: "Блоки",
      hint: "Клацніть блок, щоб додати його, або перетягніть на полотно.",
      add: "Додати блок {{type}}: {{description}}",
      categories: {
        messaging: "Повідомлення",
        logic: "Логіка",
        flow: "Перебіг",
        integrations: "Інтеграції",
        other: "Інше",
      },
    },
    node: {
      start: "старт",
      brokenPort: "Такого порту в блока немає",
      unknownType: "Невідомий тип блока",
    },
    tabs: { label: "Бічна панель", inspector: "Властивості", test: "Тестовий чат" },
    inspector: {
      empty: "Виберіть блок, щоб його редагувати.",
      scenario: "Сценарій",
      start: "Стартовий блок",
      variables: "Змінні (список JSON)",
      blockTitle: "Блок {{id}}",
      name: "Назва",
      namePlaceholder: "Необов’язково: для чого цей блок",
      settings: "Налаштування (JSON)",
      apply: "Застосувати",
      reset: "Скасувати правки",
      invalidJson: "Це не коректний JSON: {{detail}}",
      notObject: "Налаштування мають бути об’єктом JSON.",
      notList: "Змінні мають бути списком JSON.",
      applyHint: "Ctrl+Enter застосовує.",
      text: "{{field}} ({{language}})",
      ports: "Порти",
      noPorts: "Цей блок не має вихідних портів.",
      unconnected: "не з’єднано",
      makeStart: "Зробити стартовим",
      isStart: "Це стартовий блок.",
      delete: "Видалити блок",
      description: "Тип",
    },
    validation: {
      title: "Проблеми",
      summary: "Помилок: {{errors}}, попереджень: {{warnings}}",
      none: "Проблем не знайдено.",
      notChecked: "Ще не перевірено.",
      error: "помилка",
      warning: "попередження",
      saveRefused: "Не збережено: сервер відхилив документ:",
      checkFailed: "Не вдалося перевірити чернетку: {{detail}}",
    },
    test: {
      title: "Тестовий чат",
      start: "Тест",
      restart: "Почати знову",
      running: "Тестова розмова",
      intro: "Натисніть «Тест», щоб поговорити з чернеткою в її поточному стані.",
      starting: "Запускаємо…",
      input: "Ваше повідомлення",
      send: "Надіслати",
      ended: "Розмову завершено.",
      waiting: "Очікує в блоці {{block}}",
      errors: "Чернетку ще не можна запустити:",
      saveFirst: "Чернетку не вдалося зберегти, тому її ще не можна протестувати.",
      you: "Ви",
      bot: "Бот",
      pause: "(пауза {{seconds}} с)",
      handoff: "(передано оператору)",
      failed: "Тест не вдався: {{detail}}",
    },
    publish: {
      changelog: "Що змінилося",
      changelogPlaceholder: "Опис змін (необов’язково)",
      submit: "Опублікувати",
      publishing: "Публікуємо…",
      done: "Опубліковано версію {{number}}.",
      warnings: "Попереджень: {{count}}.",
      failed: "Не опубліковано: {{detail}}",
    },
  },
};

export const resources = { en, uk };
export const LANGUAGES = ["uk", "en"] as const;
export type UiLanguage = (typeof LANGUAGES)[number];

const STORAGE_KEY = "rozmova.builder.language";

/** The stored choice, else the browser's first language the builder has, else Ukrainian. */
export function initialLanguage(
  stored: string | null,
  browser: readonly string[] = typeof navigator === "undefined" ? [] : navigator.languages ?? [],
): UiLanguage {
  if (stored === "uk" || stored === "en") return stored;
  for (const tag of browser) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "uk" || base === "en") return base;
  }
  return "uk";
}

export function setupI18n(language?: UiLanguage) {
  const stored = typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  const lng = language ?? initialLanguage(stored);
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, uk: { translation: uk } },
    lng,
    fallbackLng: "uk",
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
    returnNull: false,
  });
  if (typeof document !== "undefined") document.documentElement.lang = lng;
  return i18n;
}

export function changeLanguage(language: UiLanguage): void {
  void i18n.changeLanguage(language);
  if (typeof localStorage !== "undefined") localStorage.setItem(STORAGE_KEY, language);
  if (typeof document !== "undefined") document.documentElement.lang = language;
}

export default i18n;
