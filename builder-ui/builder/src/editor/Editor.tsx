import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import type { paths } from "../api/schema";
import { errorMessage } from "../api/errors";
import { isTextField } from "../ShortcutsHelp";
import { toDocument, type Block, type Bot, type BlockType, type Position, type ScenarioDetail, type ScenarioDocument, type Validation } from "../api/types";
import { useApi } from "../context";
import { routeHref } from "../routes";
import { Autosaver, type SaveState } from "./autosave";
import { clearBackup, readBackup, writeBackup, type DraftBackup } from "./backup";
import { defaultSettings, type BotLanguages } from "./blocks";
import { copyBlocks, pasteBlocks, readClip, storeClip } from "./clipboard";
import { BlockNodeView } from "./BlockNode";
import {
  addBlock,
  connect,
  edgeIdentity,
  ensureVariable,
  freshBlockId,
  jsonEqual,
  removeBlocks,
  removeEdges,
  setStart,
  updateBlock,
} from "./document";
import { documentToGraph, graphToDocument, type BlockNode, type PortEdge } from "./graph";
import { emptyHistory, record, redo, seal, undo, type History } from "./history";
import { BlockInspector, ScenarioInspector } from "./Inspector";
import { estimateHeight, freePosition, withLayout } from "./layout";
import { DRAG_TYPE, Palette } from "./Palette";
import { issueBlockId } from "./pointer";
import { blockPorts } from "./ports";
import { PublishBar } from "./PublishBar";
import { isRestartShortcut, TestPanel } from "./TestPanel";
import { ValidationPanel, type PanelIssue } from "./ValidationPanel";
import { VersionsPanel } from "./VersionsPanel";
import type { DiffView } from "./versions";

type DraftBody = paths["/api/v1/scenarios/{scenario_id}/draft"]["put"]["requestBody"]["content"]["application/json"];

const nodeTypes = { block: BlockNodeView };
const DELETE_KEYS = ["Delete", "Backspace"];
// Shift+click (as well as Ctrl/Cmd+click) adds a block to the selection; Shift+drag on the
// canvas selects the blocks in a box (React Flow's default `selectionKeyCode`).
const MULTI_SELECT_KEYS = ["Shift", "Meta", "Control"];

/** Each text field gets its own number, so that typing in one is one undo step. */
const fieldIds = new WeakMap<Element, number>();
let nextFieldId = 0;
/** The coalescing key of an edit made while typing in a text field (else null: its own step). */
function typingKey(scope: string): string | null {
  const el = typeof document === "undefined" ? null : document.activeElement;
  if (!el || !isTextField(el)) return null;
  let id = fieldIds.get(el);
  if (id === undefined) {
    id = ++nextFieldId;
    fieldIds.set(el, id);
  }
  return `type:${scope}:${id}`;
}

export type UndoShortcut = "undo" | "redo" | "copy" | "cut" | "paste";

/** Which editor command a key press is (Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z or Ctrl+Y, Ctrl/Cmd+C,
 * X, V), or null: also for any key typed in a text field, whose own undo and clipboard work. */
export function editorShortcut(
  event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey" | "target">,
): UndoShortcut | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || isTextField(event.target)) return null;
  const key = event.key.toLowerCase();
  if (key === "z") return event.shiftKey ? "redo" : "undo";
  if (event.shiftKey) return null;
  if (key === "y") return "redo";
  if (key === "c") return "copy";
  if (key === "x") return "cut";
  if (key === "v") return "paste";
  return null;
}
// Fitting leaves room for the overlays in the canvas's corners (the controls bottom left, the
// minimap bottom right), so no block lands under them where it could not be clicked.
const SIDE_TABS = ["inspector", "test", "versions"] as const;

const FIT_VIEW = {
  padding: { top: "24px", left: "64px", right: "32px", bottom: "140px" },
  maxZoom: 1.1,
} as const;

function SaveStatusView({ state }: { state: SaveState }) {
  const { t } = useTranslation();
  return (
    <span className={`save-status save-status--${state.status}`} data-testid="save-status" data-state={state.status} role="status">
      {t(`editor.save.${state.status}`)}
    </span>
  );
}

function useCountdown(until: number | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [until]);
  return until ? Math.max(0, Math.ceil((until - now) / 1000)) : null;
}

export function ScenarioEditor({ scenario, bot, types }: { scenario: ScenarioDetail; bot: Bot; types: BlockType[] }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const flow = useReactFlow<BlockNode, PortEdge>();
  const scenarioId = scenario.id;
  const typeMap = useMemo(() => new Map(types.map((type) => [type.name, type])), [types]);
  const botLanguages: BotLanguages = useMemo(
    () => ({ defaultLanguage: bot.default_language, languages: bot.languages }),
    [bot.default_language, bot.languages],
  );
  const laidOut = useCallback(
    (d: ScenarioDocument) =>
      withLayout(d, (id) => {
        const block = d.blocks.find((b) => b.id === id);
        return block ? blockPorts(block, typeMap.get(block.type)).length : 1;
      }),
    [typeMap],
  );

  const serverDocument = useMemo(() => toDocument(scenario.document), [scenario.document]);
  const [doc, setDoc] = useState<ScenarioDocument>(() => laidOut(serverDocument));
  const docRef = useRef(doc);
  // Undo and redo: this scenario's edits (the editor is keyed by the scenario id).
  const historyRef = useRef<History<ScenarioDocument>>(emptyHistory());
  const [historySize, setHistorySize] = useState({ undo: 0, redo: 0 });
  const setHistory = useCallback((history: History<ScenarioDocument>) => {
    historyRef.current = history;
    setHistorySize((s) =>
      s.undo === history.past.length && s.redo === history.future.length ? s : { undo: history.past.length, redo: history.future.length },
    );
  }, []);
  const [pasteNotice, setPasteNotice] = useState<{ count: number; declared: string[] } | null>(null);
  const [save, setSave] = useState<SaveState>({ status: "saved", revision: scenario.revision });
  const saverRef = useRef<Autosaver | null>(null);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [selectedNodes, setSelectedNodes] = useState<string[]>([]);
  const [selectedEdges, setSelectedEdges] = useState<string[]>([]);
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [dragging, setDragging] = useState<Record<string, Position>>({});
  const draggingRef = useRef(dragging);
  const [waitingBlock, setWaitingBlock] = useState<string | null>(null);
  const [visitedBlocks, setVisitedBlocks] = useState<string[]>([]);
  const [tab, setTab] = useState<(typeof SIDE_TABS)[number]>("inspector");
  const [testRequest, setTestRequest] = useState(0);
  const [variablesRequest, setVariablesRequest] = useState(0);
  const [versionsKey, setVersionsKey] = useState(0);
  const [diff, setDiff] = useState<DiffView | null>(null);
  // The Versions tab asks the server only once it has been opened (then it stays, with its diff).
  const [versionsOpened, setVersionsOpened] = useState(false);
  useEffect(() => {
    if (tab === "versions") setVersionsOpened(true);
  }, [tab]);
  const [backup, setBackup] = useState<DraftBackup | null>(() => {
    const kept = readBackup(scenarioId);
    if (kept && jsonEqual(toDocument(kept.document), serverDocument)) {
      clearBackup(scenarioId);
      return null;
    }
    return kept;
  });
  const canvasRef = useRef<HTMLDivElement>(null);

  // --- validation -------------------------------------------------------------------------
  const validationRun = useRef(0);
  const validate = useCallback(async () => {
    const mine = ++validationRun.current;
    try {
      const report = await api.post("/api/v1/scenarios/{scenario_id}/validate", { path: { scenario_id: scenarioId } });
      if (mine !== validationRun.current) return;
      setValidation(report);
      setCheckError(null);
    } catch (e) {
      if (mine === validationRun.current) setCheckError(errorMessage(e));
    }
  }, [api, scenarioId]);

  // --- autosave -----------------------------------------------------------------------------
  // One saver for the editor's life (the screen is keyed by the scenario id).
  useEffect(() => {
    const saver = new Autosaver({
      revision: scenario.revision,
      document: docRef.current,
      save: async (document, revision) => {
        const saved = await api.put("/api/v1/scenarios/{scenario_id}/draft", {
          path: { scenario_id: scenarioId },
          headers: { "If-Match": `"${revision}"` },
          body: document as unknown as DraftBody,
        });
        return { document: toDocument(saved.document), revision: saved.revision };
      },
      load: async () => {
        const current = await api.get("/api/v1/scenarios/{scenario_id}", { path: { scenario_id: scenarioId } });
        return { document: toDocument(current.document), revision: current.revision };
      },
      onState: (state) => {
        setSave(state);
        if (state.status === "saved") clearBackup(scenarioId);
      },
      onSaved: () => void validate(),
      onReplace: (document) => {
        const next = laidOut(document);
        docRef.current = next;
        setDoc(next);
        // "Reload theirs": what was undoable was edits of a document now gone.
        setHistory(emptyHistory());
      },
    });
    saverRef.current = saver;
    void validate();
    return () => {
      // Leaving the editor: whatever is unsaved still goes to the server (the copy in
      // localStorage stays until it has).
      if (saver.dirty) void saver.flush().finally(() => saver.dispose());
      else saver.dispose();
    };
  }, []);

  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      const saver = saverRef.current;
      if (saver && (saver.dirty || saver.current.status === "conflict")) {
        event.preventDefault();
        event.returnValue = t("editor.save.leave");
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [t]);

  /** Shows a document: drawn, autosaved, kept locally (an edit, an undo or a redo). */
  const commit = useCallback(
    (next: ScenarioDocument) => {
      docRef.current = next;
      setDoc(next);
      const saver = saverRef.current;
      saver?.change(next);
      writeBackup(scenarioId, { document: next, baseRevision: saver?.revision ?? scenario.revision, savedAt: Date.now() });
    },
    [scenarioId, scenario.revision],
  );

  /** Every change of the document goes through here, and into the undo history: edits with
   * the same `coalesce` key in a row are one step. */
  const edit = useCallback(
    (change: (d: ScenarioDocument) => ScenarioDocument, coalesce?: string | null) => {
      const before = docRef.current;
      const next = change(before);
      if (next === before || jsonEqual(next, before)) return;
      setHistory(record(historyRef.current, before, coalesce));
      commit(next);
    },
    [commit, setHistory],
  );

  // The parts of one action that React Flow reports apart (a deletion's edges, then its
  // blocks) are one undo step: they share a key until the event is over.
  const batchRef = useRef<string | null>(null);
  const batchCount = useRef(0);
  const batchKey = useCallback(() => {
    if (!batchRef.current) {
      batchRef.current = `batch:${++batchCount.current}`;
      setTimeout(() => {
        batchRef.current = null;
      }, 0);
    }
    return batchRef.current;
  }, []);

  // Typing in another field (or the same one again later) starts a new step.
  useEffect(() => {
    const onFocus = () => {
      historyRef.current = seal(historyRef.current);
    };
    window.addEventListener("focusin", onFocus);
    return () => window.removeEventListener("focusin", onFocus);
  }, []);

  const keepSelected = useCallback((d: ScenarioDocument) => {
    const ids = new Set(d.blocks.map((b) => b.id));
    setSelectedNodes((s) => (s.every((id) => ids.has(id)) ? s : s.filter((id) => ids.has(id))));
  }, []);

  const undoEdit = useCallback(() => {
    const step = undo(historyRef.current, docRef.current);
    if (!step) return;
    setHistory(step.history);
    commit(step.state);
    keepSelected(step.state);
  }, [commit, setHistory, keepSelected]);

  const redoEdit = useCallback(() => {
    const step = redo(historyRef.current, docRef.current);
    if (!step) return;
    setHistory(step.history);
    commit(step.state);
    keepSelected(step.state);
  }, [commit, setHistory, keepSelected]);

  // --- the graph ------------------------------------------------------------------------------
  const issues = useMemo(() => {
    const byBlock = new Map<string, "error" | "warning">();
    for (const w of validation?.warnings ?? []) {
      const id = issueBlockId(w, doc);
      if (id) byBlock.set(id, "warning");
    }
    for (const e of validation?.errors ?? []) {
      const id = issueBlockId(e, doc);
      if (id) byBlock.set(id, "error");
    }
    return byBlock;
  }, [validation, doc]);

  const visited = useMemo(() => new Set(visitedBlocks), [visitedBlocks]);
  const graphContext = useMemo(
    () => ({
      types: typeMap,
      defaultLanguage: bot.default_language,
      waitingBlockId: waitingBlock,
      issues,
      visited,
      diff: diff?.marks ?? null,
    }),
    [typeMap, bot.default_language, waitingBlock, issues, visited, diff],
  );
  const graph = useMemo(() => documentToGraph(doc, graphContext), [doc, graphContext]);
  const nodes = useMemo(() => {
    const selected = new Set(selectedNodes);
    return graph.nodes.map((node) => ({
      ...node,
      position: dragging[node.id] ?? node.position,
      measured: measured[node.id],
      selected: selected.has(node.id),
    }));
  }, [graph.nodes, dragging, measured, selectedNodes]);
  const edges = useMemo(() => {
    const selected = new Set(selectedEdges);
    return graph.edges.map((edge) => ({ ...edge, selected: selected.has(edge.id) }));
  }, [graph.edges, selectedEdges]);
  const edgesRef = useRef(edges);
  edgesRef.current = edges;

  // Fit the view once every node has been measured (React Flow's own `fitView` fits to the
  // nodes measured first, which with many nodes may be only some of them).
  const fitted = useRef(false);
  useEffect(() => {
    if (fitted.current) return;
    const ready = doc.blocks.every((b) => measured[b.id]);
    if (!ready) return;
    fitted.current = true;
    void flow.fitView(FIT_VIEW);
  }, [doc.blocks, measured, flow]);

  const applySelection = (current: string[], changes: Map<string, boolean>): string[] => {
    const set = new Set(current);
    for (const [id, on] of changes) {
      if (on) set.add(id);
      else set.delete(id);
    }
    return [...set];
  };

  const onNodesChange = useCallback(
    (changes: NodeChange<BlockNode>[]) => {
      const sizes: Record<string, { width: number; height: number }> = {};
      const moving: Record<string, Position> = {};
      const moved: Record<string, Position> = {};
      const removed: string[] = [];
      const selection = new Map<string, boolean>();
      for (const change of changes) {
        if (change.type === "dimensions" && change.dimensions) sizes[change.id] = change.dimensions;
        else if (change.type === "position") {
          const p = change.position ?? draggingRef.current[change.id];
          if (!p) continue;
          if (change.dragging) moving[change.id] = p;
          else moved[change.id] = p;
        } else if (change.type === "select") selection.set(change.id, change.selected);
        else if (change.type === "remove") removed.push(change.id);
      }
      if (Object.keys(sizes).length) setMeasured((m) => ({ ...m, ...sizes }));
      if (Object.keys(moving).length || Object.keys(moved).length) {
        const next = { ...draggingRef.current, ...moving };
        for (const id of Object.keys(moved)) delete next[id];
        draggingRef.current = next;
        setDragging(next);
      }
      if (Object.keys(moved).length) {
        // Positions go back into the document through the graph (layout of each block).
        edit((d) => {
          const drawn = documentToGraph(d, graphContext);
          const placed = drawn.nodes.map((n) => (moved[n.id] ? { ...n, position: moved[n.id] } : n));
          return graphToDocument(d, placed, drawn.edges);
        });
      }
      if (removed.length) {
        edit((d) => removeBlocks(d, removed), batchKey());
        setSelectedNodes((s) => s.filter((id) => !removed.includes(id)));
      }
      if (selection.size) setSelectedNodes((s) => applySelection(s, selection));
    },
    [edit, graphContext, batchKey],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<PortEdge>[]) => {
      const removed: string[] = [];
      const selection = new Map<string, boolean>();
      for (const change of changes) {
        if (change.type === "remove") {
          const edge = edgesRef.current.find((e) => e.id === change.id);
          if (edge) removed.push(edgeIdentity({ source: edge.source, port: edge.data?.port ?? edge.sourceHandle ?? "next", target: edge.target }));
          selection.set(change.id, false);
        } else if (change.type === "select") selection.set(change.id, change.selected);
      }
      if (removed.length) edit((d) => removeEdges(d, removed), batchKey());
      if (selection.size) setSelectedEdges((s) => applySelection(s, selection));
    },
    [edit, batchKey],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      if (!connection.source || !connection.target) return;
      edit((d) => connect(d, connection.source, connection.sourceHandle ?? "next", connection.target));
    },
    [edit],
  );

  // --- selecting, adding ----------------------------------------------------------------------
  /** Selects a block and centres it; the side panel shows its inspector unless `keepTab`
   * (a step of the test chat's trace: the chat stays in view). */
  const focusBlock = useCallback(
    (id: string, keepTab = false) => {
      const block = docRef.current.blocks.find((b) => b.id === id);
      if (!block) return;
      setSelectedNodes([id]);
      setSelectedEdges([]);
      if (!keepTab) setTab("inspector");
      const size = flow.getInternalNode(id)?.measured;
      const x = (block.layout?.x ?? 0) + (size?.width ?? 220) / 2;
      const y = (block.layout?.y ?? 0) + (size?.height ?? 100) / 2;
      void flow.setCenter(x, y, { zoom: Math.max(flow.getZoom(), 1), duration: 300 });
    },
    [flow],
  );

  const focusIssue = useCallback(
    (issue: PanelIssue) => {
      const id = issueBlockId(issue, docRef.current);
      if (id) focusBlock(id);
    },
    [focusBlock],
  );

  const addBlockOfType = useCallback(
    (typeName: string, at?: Position) => {
      let position = at;
      if (!position) {
        const rect = canvasRef.current?.getBoundingClientRect();
        const center = rect
          ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 })
          : { x: 0, y: 0 };
        position = { x: center.x - 110, y: center.y - 50 };
      }
      const current = docRef.current;
      const id = freshBlockId(current, typeName);
      const type = typeMap.get(typeName);
      const settings = defaultSettings(type ?? typeName, botLanguages, current);
      const height = estimateHeight(blockPorts({ type: typeName, settings }, type).length);
      const spot = freePosition(
        current,
        position,
        (blockId) => {
          const size = flow.getInternalNode(blockId)?.measured;
          if (size?.height) return size.height;
          const block = current.blocks.find((b) => b.id === blockId);
          return estimateHeight(block ? blockPorts(block, typeMap.get(block.type)).length : 1);
        },
        height,
      );
      edit((d) => {
        let next = addBlock(d, { id, type: typeName, settings, layout: spot });
        if (typeof settings.variable === "string" && (typeName === "input" || typeName === "set_variable")) {
          next = ensureVariable(next, settings.variable);
        }
        return next;
      });
      setSelectedNodes([id]);
      setSelectedEdges([]);
      setTab("inspector");
    },
    [edit, flow, typeMap, botLanguages],
  );

  const onDragOver = (event: DragEvent) => {
    if (event.dataTransfer.types.includes(DRAG_TYPE)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  };
  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(DRAG_TYPE);
    if (!type) return;
    event.preventDefault();
    const p = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    addBlockOfType(type, { x: p.x - 20, y: p.y - 20 });
  };

  // --- panels ---------------------------------------------------------------------------------
  const selectedBlock = selectedNodes.length === 1 ? doc.blocks.find((b) => b.id === selectedNodes[0]) : undefined;
  const flush = useCallback(() => saverRef.current?.flush() ?? Promise.resolve(true), []);
  const countdown = useCountdown(save.status === "error" ? save.retryAt : undefined);
  const refused = save.status === "error" && save.error?.status === 422 ? (save.error.errors ?? []) : null;

  const startTest = useCallback(() => {
    setTab("test");
    setTestRequest((n) => n + 1);
  }, []);
  // From the trace or a diff's list: the panel the click came from stays in view.
  const focusKeepingTab = useCallback((id: string) => focusBlock(id, true), [focusBlock]);
  const declareVariable = useCallback((name: string) => edit((d) => ensureVariable(d, name)), [edit]);

  // --- copy, cut, paste -----------------------------------------------------------------------
  const selectedRef = useRef(selectedNodes);
  selectedRef.current = selectedNodes;

  const heightOf = useCallback(
    (block: Block) => {
      const size = flow.getInternalNode(block.id)?.measured;
      return size?.height || estimateHeight(blockPorts(block, typeMap.get(block.type)).length);
    },
    [flow, typeMap],
  );

  const copySelection = useCallback((): boolean => {
    const clip = copyBlocks(docRef.current, selectedRef.current);
    if (!clip) return false;
    storeClip(clip);
    return true;
  }, []);

  const cutSelection = useCallback((): boolean => {
    const ids = selectedRef.current;
    if (!copySelection()) return false;
    edit((d) => removeBlocks(d, ids));
    setSelectedNodes([]);
    setSelectedEdges([]);
    return true;
  }, [copySelection, edit]);

  /** Pastes what was copied here or in another scenario or tab; anything else: nothing. */
  const pasteClip = useCallback((): boolean => {
    const clip = readClip();
    if (!clip) return false;
    let pasted: { ids: string[]; declared: string[] } | null = null;
    edit((d) => {
      const result = pasteBlocks(d, clip, heightOf);
      pasted = result;
      return result.doc;
    });
    const done = pasted as { ids: string[]; declared: string[] } | null;
    if (!done) return false;
    setSelectedNodes(done.ids);
    setSelectedEdges([]);
    setPasteNotice({ count: done.ids.length, declared: done.declared });
    return true;
  }, [edit, heightOf]);

  // Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo, Ctrl/Cmd+C, X and V copy, cut and
  // paste blocks; not in text fields (their own undo and clipboard), nor under a dialog.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const command = editorShortcut(event);
      if (!command || document.querySelector('[aria-modal="true"]')) return;
      if ((command === "copy" || command === "cut") && !window.getSelection()?.isCollapsed) return; // copying text
      let handled = true;
      if (command === "undo") undoEdit();
      else if (command === "redo") redoEdit();
      else if (command === "copy") handled = copySelection();
      else if (command === "cut") handled = cutSelection();
      else handled = pasteClip();
      if (handled || command === "undo" || command === "redo") event.preventDefault();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [undoEdit, redoEdit, copySelection, cutSelection, pasteClip]);

  // Alt+R restarts the test chat from anywhere in the editor.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isRestartShortcut(event) || event.repeat) return;
      event.preventDefault();
      startTest();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [startTest]);

  const restoreBackup = () => {
    if (!backup) return;
    const restored = laidOut(toDocument(backup.document));
    setBackup(null);
    edit(() => restored);
  };
  const discardBackup = () => {
    clearBackup(scenarioId);
    setBackup(null);
  };

  return (
    <div className="editor" data-testid="editor">
      <div className="editor-toolbar">
        <a href={routeHref({ name: "bot", botId: bot.id })} className="back">
          ← {t("editor.back")}
        </a>
        <h1 className="editor-title" data-testid="scenario-title">
          {scenario.name} <span className="muted small">· {bot.name}</span>
        </h1>
        <SaveStatusView state={save} />
        <div className="toolbar-group" role="group" aria-label={t("editor.history.label")}>
          <button
            type="button"
            data-testid="undo"
            aria-keyshortcuts="Control+Z Meta+Z"
            title={t("editor.history.undo")}
            aria-label={t("editor.history.undo")}
            disabled={historySize.undo === 0}
            onClick={undoEdit}
          >
            ↶
          </button>
          <button
            type="button"
            data-testid="redo"
            aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
            title={t("editor.history.redo")}
            aria-label={t("editor.history.redo")}
            disabled={historySize.redo === 0}
            onClick={redoEdit}
          >
            ↷
          </button>
          <button
            type="button"
            data-testid="copy"
            aria-keyshortcuts="Control+C Meta+C"
            title={t("editor.clipboard.copyHint")}
            disabled={selectedNodes.length === 0}
            onClick={() => void copySelection()}
          >
            {t("editor.clipboard.copy")}
          </button>
          <button
            type="button"
            data-testid="paste"
            aria-keyshortcuts="Control+V Meta+V"
            title={t("editor.clipboard.pasteHint")}
            onClick={() => void pasteClip()}
          >
            {t("editor.clipboard.paste")}
          </button>
        </div>
        <button
          type="button"
          data-testid="variables-open"
          title={t("editor.variables.openHint")}
          onClick={() => {
            // The variables are in the scenario's inspector, shown while no block is selected.
            setSelectedNodes([]);
            setSelectedEdges([]);
            setTab("inspector");
            setVariablesRequest((n) => n + 1);
          }}
        >
          {t("editor.variables.open", { count: Array.isArray(doc.variables) ? doc.variables.length : 0 })}
        </button>
        <div className="toolbar-spacer" />
        <button
          type="button"
          data-testid="test-start"
          aria-keyshortcuts="Alt+R"
          onClick={startTest}
        >
          ▶ {t("editor.test.start")}
        </button>
        <PublishBar
          scenarioId={scenarioId}
          beforePublish={flush}
          revision={() => saverRef.current?.revision ?? scenario.revision}
          onPublished={() => setVersionsKey((n) => n + 1)}
        />
      </div>

      {save.status === "conflict" && save.theirs && (
        <div className="banner banner--warning" role="alert" data-testid="conflict-banner">
          <span>{t("editor.conflict.text", { revision: save.theirs.revision })}</span>
          <button type="button" data-testid="conflict-reload" onClick={() => void saverRef.current?.resolve("theirs")}>
            {t("editor.conflict.theirs")}
          </button>
          <button type="button" className="button-primary" data-testid="conflict-keep" onClick={() => void saverRef.current?.resolve("mine")}>
            {t("editor.conflict.mine")}
          </button>
        </div>
      )}
      {save.status === "error" && save.error && (
        <div className="banner banner--error" role="alert" data-testid="save-error">
          <span>{t("editor.save.failed", { detail: save.error.detail })}</span>
          {countdown !== null && <span>{t("editor.save.retrying", { seconds: countdown })}</span>}
          <button type="button" onClick={() => void flush()}>
            {t("editor.save.retryNow")}
          </button>
        </div>
      )}
      {pasteNotice && (
        <div className="banner banner--info" role="status" data-testid="paste-notice">
          <span>
            {t("editor.clipboard.pasted", { n: pasteNotice.count })}
            {pasteNotice.declared.length > 0 && ` ${t("editor.clipboard.declared", { names: pasteNotice.declared.join(", ") })}`}
          </span>
          <button type="button" className="button-quiet" data-testid="paste-notice-close" onClick={() => setPasteNotice(null)}>
            {t("editor.clipboard.close")}
          </button>
        </div>
      )}
      {backup && (
        <div className="banner banner--info" role="alert" data-testid="backup-banner">
          <span>{t("editor.backup.text", { time: new Date(backup.savedAt).toLocaleString(i18n.language) })}</span>
          <button type="button" className="button-primary" data-testid="backup-restore" onClick={restoreBackup}>
            {t("editor.backup.restore")}
          </button>
          <button type="button" data-testid="backup-discard" onClick={discardBackup}>
            {t("editor.backup.discard")}
          </button>
        </div>
      )}

      <div className="editor-body">
        <Palette types={types} onAdd={(type) => addBlockOfType(type)} />
        <div className="editor-center">
          <div
            className={diff ? "canvas canvas--diff" : "canvas"}
            ref={canvasRef}
            onDragOver={onDragOver}
            onDrop={onDrop}
            data-testid="canvas"
            data-diff-version={diff?.from}
            aria-label={t("editor.canvas")}
          >
            {diff && (
              <button type="button" className="canvas-diff-chip" onClick={() => setTab("versions")}>
                {t("editor.versions.diffTitle", { number: diff.from })}
              </button>
            )}
            <ReactFlow<BlockNode, PortEdge>
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onNodeClick={() => setTab("inspector")}
              deleteKeyCode={DELETE_KEYS}
              multiSelectionKeyCode={MULTI_SELECT_KEYS}
              minZoom={0.1}
              maxZoom={2}
              defaultEdgeOptions={{ type: "smoothstep" }}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={24} />
              <MiniMap pannable zoomable ariaLabel={t("editor.minimap")} style={{ width: 160, height: 110 }} />
              <Controls fitViewOptions={FIT_VIEW} />
            </ReactFlow>
          </div>
          <ValidationPanel validation={validation} checkError={checkError} refused={refused} onSelect={focusIssue} />
        </div>
        <aside className="side-panel">
          <div className="tabs" role="tablist" aria-label={t("editor.tabs.label")}>
            {SIDE_TABS.map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                id={`tab-${name}`}
                aria-selected={tab === name}
                aria-controls={`panel-${name}`}
                data-testid={`tab-${name}`}
                onClick={() => setTab(name)}
              >
                {t(`editor.tabs.${name}`)}
              </button>
            ))}
          </div>
          <div id="panel-inspector" role="tabpanel" aria-labelledby="tab-inspector" hidden={tab !== "inspector"} className="tab-panel">
            {selectedBlock ? (
              <BlockInspector
                key={selectedBlock.id}
                block={selectedBlock}
                type={typeMap.get(selectedBlock.type)}
                doc={doc}
                bot={botLanguages}
                onChange={(change) => edit((d) => updateBlock(d, selectedBlock.id, change), typingKey(`block:${selectedBlock.id}`))}
                onDelete={() => {
                  edit((d) => removeBlocks(d, [selectedBlock.id]));
                  setSelectedNodes([]);
                }}
                onMakeStart={() => edit((d) => setStart(d, selectedBlock.id))}
                onFocusBlock={focusBlock}
                onDeclareVariable={declareVariable}
              />
            ) : (
              <ScenarioInspector
                doc={doc}
                onChange={(change) => edit(change, typingKey("scenario"))}
                showVariables={variablesRequest}
                bot={botLanguages}
                botId={bot.id}
                scenarioId={scenarioId}
                publishedKey={versionsKey}
              />
            )}
          </div>
          <div id="panel-test" role="tabpanel" aria-labelledby="tab-test" hidden={tab !== "test"} className="tab-panel">
            <TestPanel
              scenarioId={scenarioId}
              botId={bot.id}
              startRequest={testRequest}
              beforeStart={flush}
              onWaiting={setWaitingBlock}
              onIssue={focusIssue}
              onVisited={setVisitedBlocks}
              onFocusBlock={focusKeepingTab}
              scenarioName={scenario.name}
            />
          </div>
          <div id="panel-versions" role="tabpanel" aria-labelledby="tab-versions" hidden={tab !== "versions"} className="tab-panel">
            {versionsOpened && (
              <VersionsPanel
                scenarioId={scenarioId}
                refreshKey={versionsKey}
                revision={save.revision}
                diff={diff}
                onDiff={setDiff}
                beforeDiff={flush}
                onFocusBlock={focusKeepingTab}
              />
            )}
          </div>
        </aside>
      </div>
    </div>
  );
}
