// A CodeMirror 6 editor for a module's JavaScript: line numbers, highlighting, undo history,
// and the server's syntax errors shown as lint diagnostics at their line and column (with a
// gutter marker). Read-only for a published version's code.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { Annotation, EditorSelection, EditorState } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { useEffect, useImperativeHandle, useRef, type Ref } from "react";
import type { CodeMark } from "./draft";

/** Marks a change that came from the `value` prop, not from typing. */
const external = Annotation.define<boolean>();

export interface CodeEditorHandle {
  /** Puts the cursor at an offset of the text and focuses the editor. */
  focusAt(offset: number): void;
}

export interface CodeDiagnostics {
  /** The text the marks were computed for: they are shown only while the editor holds it. */
  text: string;
  marks: CodeMark[];
}

export function CodeEditor({
  value,
  onChange,
  label,
  describedBy,
  readOnly = false,
  diagnostics,
  testId,
  ref,
}: {
  value: string;
  onChange?: (value: string) => void;
  /** The accessible name of the editing area. */
  label: string;
  describedBy?: string;
  readOnly?: boolean;
  diagnostics?: CodeDiagnostics | null;
  testId?: string;
  ref?: Ref<CodeEditorHandle>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  // One view for the component's life; the props below are synced into it.
  useEffect(() => {
    const extensions = [
      lineNumbers(),
      highlightActiveLineGutter(),
      drawSelection(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      bracketMatching(),
      javascript(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({
        "aria-label": label,
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
      }),
    ];
    if (readOnly) {
      extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false));
    } else {
      extensions.push(
        history(),
        indentOnInput(),
        highlightActiveLine(),
        lintGutter(),
        keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap, indentWithTab]),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          if (update.transactions.some((tr) => tr.annotation(external))) return;
          changed.current?.(update.state.doc.toString());
        }),
      );
    }
    const created = new EditorView({
      parent: host.current!,
      state: EditorState.create({ doc: value, extensions }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
  }, [readOnly]);

  // A value set from outside (a reload): replace the text, keeping what can be kept.
  useEffect(() => {
    const current = view.current;
    if (!current) return;
    const text = current.state.doc.toString();
    if (text === value) return;
    current.dispatch({
      changes: { from: 0, to: text.length, insert: value },
      annotations: external.of(true),
      selection: EditorSelection.cursor(Math.min(current.state.selection.main.head, value.length)),
    });
  }, [value]);

  useEffect(() => {
    const current = view.current;
    if (!current || readOnly) return;
    const text = current.state.doc.toString();
    if (diagnostics && diagnostics.text !== text) return; // stale: a newer check is coming
    const length = current.state.doc.length;
    const found: Diagnostic[] = (diagnostics?.marks ?? []).map((mark) => ({
      from: Math.min(mark.from, length),
      to: Math.min(Math.max(mark.to, mark.from), length),
      severity: "error",
      message: mark.message,
      source: "rozmova",
    }));
    current.dispatch(setDiagnostics(current.state, found));
  }, [diagnostics, readOnly, value]);

  useImperativeHandle(
    ref,
    () => ({
      focusAt(offset: number) {
        const current = view.current;
        if (!current) return;
        const at = Math.min(Math.max(offset, 0), current.state.doc.length);
        current.dispatch({ selection: EditorSelection.cursor(at), scrollIntoView: true });
        current.focus();
      },
    }),
    [],
  );

  return <div ref={host} className={readOnly ? "code-editor code-editor--readonly" : "code-editor"} data-testid={testId} />;
}
