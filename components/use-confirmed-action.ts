"use client";

import { useState } from "react";

/**
 * The state behind a "confirm, then act" button: the dialog's open flag, the pending state while
 * the server action runs, and its error, shown inside the dialog. `onDone` runs after success.
 */
export function useConfirmedAction(run: () => Promise<{ ok: boolean; message: string | null }>, onDone: () => void, failure: string) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setPending(true);
    setError(null);
    const result = await run();
    setPending(false);
    if (!result.ok) return setError(result.message ?? failure);
    setOpen(false);
    onDone();
  }

  return { open, pending, error, confirm, show: () => setOpen(true), close: () => setOpen(false) };
}
