"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "./button";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  tone?: "danger" | "primary";
  pending?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  hideConfirm?: boolean;
  cancelLabel?: string;
}

/**
 * The dialog itself, which ConfirmDialog (confirm-dialog.tsx) loads: a modal confirmation built on
 * the native <dialog>: the browser traps focus, Escape cancels and the page behind is inert. Focus
 * starts on Cancel, so Enter never destroys anything by accident.
 */
export function ConfirmDialogPanel({
  open,
  title,
  children,
  confirmLabel,
  pendingLabel,
  tone = "danger",
  pending = false,
  onConfirm,
  onClose,
  hideConfirm = false,
  cancelLabel = "Cancel",
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      cancelRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current && !pending) onClose();
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="p-6">
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        <div id={bodyId} className="mt-2 space-y-3 text-sm text-slate-600">
          {children}
        </div>
      </div>
      <div className="flex flex-col-reverse gap-2 rounded-b-xl border-t border-slate-100 bg-slate-50 px-6 py-3 sm:flex-row sm:justify-end">
        <Button ref={cancelRef} variant="secondary" onClick={onClose} disabled={pending}>
          {cancelLabel}
        </Button>
        {hideConfirm ? null : (
          <Button variant={tone} onClick={onConfirm} pending={pending}>
            {pending ? (pendingLabel ?? confirmLabel) : confirmLabel}
          </Button>
        )}
      </div>
    </dialog>
  );
}
