// The keyboard shortcuts overlay: `?` (Shift+/) opens it anywhere but in a text field,
// Escape closes it. It lists what the app handles: its own keys (the editor's Delete and
// Alt+R, the inspector's Ctrl+Enter) and the canvas's (React Flow: arrows, Enter, Escape,
// Shift-drag, Ctrl-click).
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

/** Whether a key press is the help shortcut: "?" typed outside text fields. */
export function isHelpShortcut(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "target">): boolean {
  if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey) return false;
  return !isTextField(event.target);
}

/** Whether key presses there are typing (the field's own undo, copy and paste apply). */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(target.type);
  }
  return false;
}

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || "");

type Group = { title: string; items: Array<{ keys: string[][]; text: string }> };

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const close = useRef<HTMLButtonElement>(null);
  const ctrl = isMac ? "⌘" : "Ctrl";

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    close.current?.focus();
    return () => before?.focus();
  }, []);

  const groups: Group[] = [
    {
      title: t("shortcuts.everywhere"),
      items: [
        { keys: [["?"]], text: t("shortcuts.help") },
        { keys: [["Esc"]], text: t("shortcuts.closeDialog") },
      ],
    },
    {
      title: t("shortcuts.canvas"),
      items: [
        { keys: [["Delete"], ["Backspace"]], text: t("shortcuts.deleteBlock") },
        { keys: [["Tab"]], text: t("shortcuts.focus") },
        { keys: [["Enter"], ["Space"]], text: t("shortcuts.select") },
        { keys: [["Esc"]], text: t("shortcuts.unselect") },
        { keys: [["←", "↑", "→", "↓"]], text: t("shortcuts.move") },
        { keys: [["Shift"]], text: t("shortcuts.boxSelect") },
        { keys: [[ctrl], ["Shift"]], text: t("shortcuts.multiSelect") },
        { keys: [[ctrl, "Z"]], text: t("shortcuts.undo") },
        { keys: [[ctrl, "Shift", "Z"], ["Ctrl", "Y"]], text: t("shortcuts.redo") },
        { keys: [[ctrl, "C"]], text: t("shortcuts.copy") },
        { keys: [[ctrl, "X"]], text: t("shortcuts.cut") },
        { keys: [[ctrl, "V"]], text: t("shortcuts.paste") },
      ],
    },
    {
      title: t("shortcuts.test"),
      items: [
        { keys: [["Alt", "R"]], text: t("shortcuts.restart") },
        { keys: [["Enter"]], text: t("shortcuts.send") },
      ],
    },
    {
      title: t("shortcuts.inspector"),
      items: [{ keys: [[ctrl, "Enter"]], text: t("shortcuts.applyJson") }],
    },
    {
      title: t("shortcuts.moduleEditor"),
      items: [{ keys: [[ctrl, "S"]], text: t("shortcuts.saveModule") }],
    },
  ];

  return (
    <div
      className="overlay"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        className="dialog shortcuts"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-help"
        onKeyDown={(event) => {
          // The close button is the dialog's one control: Tab stays on it.
          if (event.key === "Tab") {
            event.preventDefault();
            close.current?.focus();
          }
        }}
      >
        <div className="dialog__head">
          <h2 id="shortcuts-title">{t("shortcuts.title")}</h2>
          <button type="button" ref={close} className="button-quiet" data-testid="shortcuts-close" onClick={onClose}>
            {t("shortcuts.close")} <kbd>Esc</kbd>
          </button>
        </div>
        <div className="shortcuts__groups">
          {groups.map((group) => (
            <section key={group.title} aria-label={group.title}>
              <h3>{group.title}</h3>
              <dl>
                {group.items.map((item) => (
                  <div key={item.text} className="shortcut" data-testid="shortcut">
                    <dt>
                      {item.keys.map((combo, i) => (
                        <span key={i}>
                          {i > 0 && " / "}
                          {combo.map((key, j) => (
                            <span key={j}>
                              {j > 0 && (combo.length === 4 ? " " : "+")}
                              <kbd>{key}</kbd>
                            </span>
                          ))}
                        </span>
                      ))}
                    </dt>
                    <dd>{item.text}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}

/** Opens the overlay on "?" and closes it on Escape. */
export function useShortcutsHelp(open: boolean, setOpen: (open: boolean) => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (open && event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        setOpen(false);
      } else if (!open && isHelpShortcut(event) && !event.repeat) {
        event.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener("keydown", onKeyDown, true);
    return () => window.removeEventListener("keydown", onKeyDown, true);
  }, [open, setOpen]);
}
