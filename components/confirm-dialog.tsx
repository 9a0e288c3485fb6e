"use client";

import { lazy, Suspense, useEffect, useState } from "react";
import type { ConfirmDialogProps } from "./confirm-dialog-panel";
import { whenIdle } from "./when-idle";

const loadPanel = () => import("./confirm-dialog-panel");
const Panel = lazy(() => loadPanel().then((module) => ({ default: module.ConfirmDialogPanel })));

/**
 * A modal confirmation (ConfirmDialogPanel: native <dialog>, focus on Cancel). A dialog is opened
 * by a click, if at all, so its code is not part of the page's first load: it is fetched when the
 * browser is idle after the page shows, or at the latest when the dialog is first opened, and
 * mounted from then on.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const [loaded, setLoaded] = useState(false);
  // A failed prefetch is no error: opening the dialog imports it again.
  useEffect(
    () =>
      whenIdle(
        () =>
          void loadPanel().then(
            () => setLoaded(true),
            () => undefined,
          ),
      ),
    [],
  );
  if (!loaded && !props.open) return null;
  return (
    <Suspense fallback={null}>
      <Panel {...props} />
    </Suspense>
  );
}
