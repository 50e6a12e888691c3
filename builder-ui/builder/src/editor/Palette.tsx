import type { DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { blockDescription, blockTitle, type BlockType } from "../api/types";
import { groupByCategory } from "./blocks";

export const DRAG_TYPE = "application/x-rozmova-block-type";

export function Palette({ types, onAdd }: { types: BlockType[]; onAdd: (type: string) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const groups = groupByCategory(types);
  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(DRAG_TYPE, type);
    event.dataTransfer.setData("text/plain", type);
    event.dataTransfer.effectAllowed = "copy";
  };
  return (
    <nav className="palette" aria-labelledby="palette-title" data-testid="palette">
      <h2 id="palette-title">{t("editor.palette.title")}</h2>
      <p className="hint">{t("editor.palette.hint")}</p>
      {groups.map((group) => (
        <section key={group.category} className="palette__group">
          <h3>{t(`editor.palette.categories.${group.category}`, { defaultValue: group.category })}</h3>
          <ul>
            {group.types.map((type) => (
              <li key={type.name}>
                <button
                  type="button"
                  className="palette__item"
                  data-testid={`palette-${type.name}`}
                  draggable
                  onDragStart={(e) => onDragStart(e, type.name)}
                  onClick={() => onAdd(type.name)}
                  title={`${type.name}: ${blockDescription(type, language)}`}
                  aria-label={t("editor.palette.add", { type: blockTitle(type, language), description: blockDescription(type, language) })}
                >
                  {blockTitle(type, language)}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
