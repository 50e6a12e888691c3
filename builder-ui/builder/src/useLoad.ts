import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "./api/errors";

export type Load<T> =
  | { state: "loading" }
  | { state: "error"; error: string }
  | { state: "ready"; data: T };

/** Loads once (and again on `reload`); answers of an earlier load that come late are dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [value, setValue] = useState<Load<T>>({ state: "loading" });
  const generation = useRef(0);
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setValue({ state: "loading" });
    run().then(
      (data) => mine === generation.current && setValue({ state: "ready", data }),
      (error: unknown) => mine === generation.current && setValue({ state: "error", error: errorMessage(error) }),
    );
  }, [run]);
  useEffect(() => {
    reload();
    return () => {
      generation.current++;
    };
  }, [reload]);
  const update = useCallback((change: (data: T) => T) => {
    setValue((current) => (current.state === "ready" ? { state: "ready", data: change(current.data) } : current));
  }, []);
  return { value, reload, update };
}
