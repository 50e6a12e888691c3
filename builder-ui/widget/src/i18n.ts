// Interface strings. The bot's own texts come already translated from the server; these are
// only the widget's chrome.

export type Lang = "uk" | "en";

const STRINGS = {
  en: {
    chat: "Chat",
    open: "Open chat",
    close: "Close chat",
    placeholder: "Type a message…",
    placeholderNumber: "Type a number…",
    placeholderEmail: "name@example.com",
    placeholderPhone: "+380…",
    send: "Send",
    startAgain: "Start again",
    reconnecting: "Reconnecting…",
    connecting: "Connecting…",
    cannotConnect: "Cannot reach the chat. Retrying…",
    stopped: "The connection was closed.",
    retry: "Try again",
    operator: "Operator",
    online: "Online",
    ended: "The conversation has ended.",
    typing: "Typing…",
    messages: "Messages",
    failed: "Not delivered",
    sending: "Sending…",
    tooFast: "Too many messages; please slow down.",
    busy: "Still busy with your previous message.",
    somethingWrong: "Something went wrong. Please try again.",
    file: "Download file",
    video: "Watch video",
    audio: "Listen",
    image: "Image",
    you: "You",
    bot: "Bot",
    pickDate: "Pick a date",
    choices: "Suggested answers",
    answerInterrupted: "answer interrupted",
    record: "Record a voice message",
    stopRecording: "Stop recording and send",
    voicePending: "🎤 Voice message…",
    voiceMessage: "🎤 Voice message",
    micDenied: "The microphone is not allowed. You can type instead.",
    micFailed: "Cannot record here. You can type instead.",
    voiceTooLong: "The recording is too long.",
    voiceUnavailable: "Voice messages are not available now. Please type.",
  },
  uk: {
    chat: "Чат",
    open: "Відкрити чат",
    close: "Закрити чат",
    placeholder: "Напишіть повідомлення…",
    placeholderNumber: "Введіть число…",
    placeholderEmail: "name@example.com",
    placeholderPhone: "+380…",
    send: "Надіслати",
    startAgain: "Почати знову",
    reconnecting: "Перепідключення…",
    connecting: "З'єднання…",
    cannotConnect: "Не вдається з'єднатися з чатом. Пробуємо ще…",
    stopped: "З'єднання закрито.",
    retry: "Спробувати ще",
    operator: "Оператор",
    online: "Онлайн",
    ended: "Розмову завершено.",
    typing: "Друкує…",
    messages: "Повідомлення",
    failed: "Не доставлено",
    sending: "Надсилається…",
    tooFast: "Забагато повідомлень; трохи повільніше, будь ласка.",
    busy: "Ще обробляємо попереднє повідомлення.",
    somethingWrong: "Щось пішло не так. Спробуйте ще раз.",
    file: "Завантажити файл",
    video: "Дивитися відео",
    audio: "Слухати",
    image: "Зображення",
    you: "Ви",
    bot: "Бот",
    pickDate: "Оберіть дату",
    choices: "Варіанти відповіді",
    answerInterrupted: "відповідь перервано",
    record: "Записати голосове повідомлення",
    stopRecording: "Зупинити запис і надіслати",
    voicePending: "🎤 Голосове повідомлення…",
    voiceMessage: "🎤 Голосове повідомлення",
    micDenied: "Доступ до мікрофона не надано. Можна написати текстом.",
    micFailed: "Тут не вдається записати. Можна написати текстом.",
    voiceTooLong: "Запис задовгий.",
    voiceUnavailable: "Голосові повідомлення зараз недоступні. Напишіть, будь ласка.",
  },
} as const;

export type Strings = { [K in keyof (typeof STRINGS)["en"]]: string };
export type StringKey = keyof Strings;

export function strings(lang: Lang): Strings {
  return STRINGS[lang];
}

/** "uk", "uk-UA", "UK" → "uk"; anything unsupported → null. */
export function normalize(tag: string | null | undefined): Lang | null {
  const base = (tag || "").trim().toLowerCase().split(/[-_]/)[0];
  return base === "uk" || base === "en" ? base : null;
}

/**
 * The language asked for before the server answers: the page's `data-language` wins; then the
 * browser's (uk → uk, anything else → en), unless a known bot does not speak it, in which case
 * the bot's first language.
 */
export function pickLanguage(attr: string | null | undefined, browser: string | null | undefined,
                             botLanguages?: string[] | null): Lang {
  const explicit = normalize(attr);
  if (explicit) return explicit;
  const guess: Lang = (browser || "").toLowerCase().startsWith("uk") ? "uk" : "en";
  const bot = (botLanguages || []).map(normalize).filter((l): l is Lang => l !== null);
  if (bot.length && !bot.includes(guess)) return bot[0];
  return guess;
}
