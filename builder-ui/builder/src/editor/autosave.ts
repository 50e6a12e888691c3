// Autosave of a scenario draft: a change waits ~800 ms for the next, then the whole document
// goes with PUT /api/v1/scenarios/{id}/draft and `If-Match: "<revision>"`. A 409 (someone
// saved in between) is never overwritten silently: when the server holds what we sent, we take
// its revision; otherwise the author chooses "reload theirs" or "keep mine". Failures that a
// retry may get past are retried with a growing delay; the others wait for the next change.
import { ApiError } from "../api/errors";
import type { ScenarioDocument } from "../api/types";
import { jsonEqual } from "./document";

export type SaveStatus = "saved" | "unsaved" | "saving" | "error" | "conflict";

export interface ServerDraft {
  document: ScenarioDocument;
  revision: number;
}

export interface SaveState {
  status: SaveStatus;
  revision: number;
  /** The last failure, while the status is "error". */
  error?: ApiError;
  /** When the next automatic retry runs (ms since the epoch), while one is planned. */
  retryAt?: number;
  /** What the server holds, while the status is "conflict". */
  theirs?: ServerDraft;
}

/** What to do after a failed save. */
export type FailureAction = "conflict" | "retry" | "stop";

export function classifySaveFailure(error: unknown): FailureAction {
  if (!(error instanceof ApiError)) return "retry";
  if (error.status === 409) return "conflict";
  if (error.transient) return "retry";
  return "stop"; // 4xx: the same request would fail the same way (invalid, forbidden, gone)
}

/** After a 409, given what we sent and what the server holds now: "adopt" when they are the
 * same (our save went through but its answer was lost, say) and only the revision is new;
 * otherwise "ask" the author. */
export function decideConflict(sent: ScenarioDocument, theirs: ServerDraft): "adopt" | "ask" {
  return jsonEqual(sent, theirs.document) ? "adopt" : "ask";
}

/** The author's answer to a conflict: the document to edit on, the revision to save against,
 * and whether to save at once. "theirs" drops local changes for the server's draft; "mine"
 * keeps the local document and saves it over the server's current revision. */
export function resolveConflict(
  choice: "theirs" | "mine",
  mine: ScenarioDocument,
  theirs: ServerDraft,
): { document: ScenarioDocument; revision: number; save: boolean } {
  if (choice === "theirs") return { document: theirs.document, revision: theirs.revision, save: false };
  return { document: mine, revision: theirs.revision, save: true };
}

const RETRY_DELAYS = [2000, 5000, 10000, 20000, 30000];

export function retryDelay(attempt: number): number {
  return RETRY_DELAYS[Math.min(attempt, RETRY_DELAYS.length - 1)];
}

export interface AutosaverOptions {
  revision: number;
  document: ScenarioDocument;
  save(document: ScenarioDocument, revision: number): Promise<ServerDraft>;
  load(): Promise<ServerDraft>;
  onState(state: SaveState): void;
  /** After each successful save (to validate the draft). */
  onSaved?(saved: ServerDraft): void;
  /** When the document the editor shows must be replaced (the author chose theirs). */
  onReplace?(document: ScenarioDocument): void;
  delayMs?: number;
}

export class Autosaver {
  private state: SaveState;
  private document: ScenarioDocument;
  private changes = 0; // local changes so far
  private savedChanges = 0; // of which the server has
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | null = null;
  private attempts = 0;
  private disposed = false;
  private waiters: Array<(ok: boolean) => void> = [];

  constructor(private readonly options: AutosaverOptions) {
    this.document = options.document;
    this.state = { status: "saved", revision: options.revision };
  }

  get current(): SaveState {
    return this.state;
  }

  get revision(): number {
    return this.state.revision;
  }

  get dirty(): boolean {
    return this.changes !== this.savedChanges;
  }

  private set(state: Partial<SaveState> & { status: SaveStatus }): void {
    this.state = { revision: this.state.revision, ...state };
    if (!this.disposed) this.options.onState(this.state);
  }

  /** The author changed the document. */
  change(document: ScenarioDocument): void {
    this.document = document;
    this.changes++;
    if (this.state.status === "conflict") return; // saved once the author has chosen
    if (this.state.status !== "saving") this.set({ status: "unsaved" });
    this.schedule(this.options.delayMs ?? 800);
  }

  /** Starts over from a draft the server holds (a reload). */
  reset(draft: ServerDraft): void {
    this.clearTimer();
    this.document = draft.document;
    this.savedChanges = this.changes;
    this.attempts = 0;
    this.set({ status: "saved", revision: draft.revision });
    this.settle(true);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delay: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
  }

  /** Saves now if anything is unsaved; resolves true once the server has every change. */
  flush(): Promise<boolean> {
    if (!this.dirty && !this.inFlight) return Promise.resolve(this.state.status !== "conflict");
    if (this.state.status === "conflict") return Promise.resolve(false);
    const done = new Promise<boolean>((resolve) => this.waiters.push(resolve));
    this.clearTimer();
    if (!this.inFlight) void this.run();
    return done;
  }

  private settle(ok: boolean): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(ok);
  }

  private async run(): Promise<void> {
    if (this.disposed || this.inFlight || this.state.status === "conflict") return;
    if (!this.dirty) {
      this.settle(true);
      return;
    }
    const sent = this.document;
    const upTo = this.changes;
    this.set({ status: "saving" });
    const attempt = (async () => {
      try {
        const saved = await this.options.save(sent, this.state.revision);
        this.attempts = 0;
        this.savedChanges = upTo;
        this.state = { status: this.state.status, revision: saved.revision };
        this.options.onSaved?.(saved);
        this.afterSave();
      } catch (error) {
        await this.failed(error, sent, upTo);
      }
    })();
    this.inFlight = attempt;
    try {
      await attempt;
    } finally {
      this.inFlight = null;
    }
    if (this.dirty && this.state.status === "unsaved" && this.waiters.length) void this.run();
  }

  private afterSave(): void {
    if (this.dirty) {
      // Changed while saving: save again soon (or now, when someone waits for it).
      this.set({ status: "unsaved" });
      if (!this.waiters.length) this.schedule(this.options.delayMs ?? 800);
    } else {
      this.set({ status: "saved" });
      this.settle(true);
    }
  }

  private async failed(error: unknown, sent: ScenarioDocument, upTo: number): Promise<void> {
    const action = classifySaveFailure(error);
    const apiError = error instanceof ApiError ? error : new ApiError({ status: 0, title: "Error", detail: String(error) });
    if (action === "conflict") {
      let theirs: ServerDraft;
      try {
        theirs = await this.options.load();
      } catch (loadError) {
        this.retryLater(loadError instanceof ApiError ? loadError : apiError);
        return;
      }
      if (decideConflict(sent, theirs) === "adopt") {
        this.savedChanges = upTo;
        this.state = { status: this.state.status, revision: theirs.revision };
        this.afterSave();
        return;
      }
      this.clearTimer();
      this.set({ status: "conflict", theirs });
      this.settle(false);
      return;
    }
    if (action === "retry") {
      this.retryLater(apiError);
      return;
    }
    this.set({ status: "error", error: apiError });
    this.settle(false);
  }

  private retryLater(error: ApiError): void {
    const delay = retryDelay(this.attempts++);
    this.set({ status: "error", error, retryAt: Date.now() + delay });
    this.settle(false);
    this.schedule(delay);
  }

  /** The author's answer to a conflict. */
  async resolve(choice: "theirs" | "mine"): Promise<void> {
    const theirs = this.state.theirs;
    if (this.state.status !== "conflict" || !theirs) return;
    if (choice === "theirs") {
      const { document, revision } = resolveConflict("theirs", this.document, theirs);
      this.options.onReplace?.(document);
      this.reset({ document, revision });
      return;
    }
    // Keep mine: save over whatever the server holds now (it may have moved again).
    let latest = theirs;
    try {
      latest = await this.options.load();
    } catch {
      // fall back to the revision the conflict reported
    }
    const { revision } = resolveConflict("mine", this.document, latest);
    this.attempts = 0;
    this.changes++; // what we hold differs from the server: it must be saved
    this.set({ status: "unsaved", revision });
    this.clearTimer();
    await this.run();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.settle(false);
  }
}
