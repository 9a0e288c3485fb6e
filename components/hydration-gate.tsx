"use client";

import type { ReactNode } from "react";
import { useHydrated } from "./use-hydrated";

/**
 * Holds every form control of a dashboard page disabled until the page's scripts have run. A page
 * is server-rendered whole, so it shows before React has attached its handlers: a click on Edit
 * or Reveal would do nothing, and what was typed into a form would be reset when the form takes
 * over. A disabled control says "not yet" instead, and a browser test's click or fill waits for it.
 * Links work at once. app/globals.css keeps the controls looking as they will (no flash of the
 * disabled style) and shows the wait with the pointer.
 */
export function HydrationGate({ children }: { children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <fieldset role="none" disabled={!hydrated} data-hydrating={hydrated ? undefined : ""} className="m-0 min-w-0 border-0 p-0">
      {children}
    </fieldset>
  );
}
