"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

export type ToastTone = "success" | "error" | "info";
interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
}
interface ToastApi {
  show(message: string, tone?: ToastTone): void;
  success(message: string): void;
  error(message: string): void;
}

const ToastContext = createContext<ToastApi | null>(null);
const LIFETIME_MS = { success: 5000, info: 5000, error: 9000 } as const;

/**
 * Small, accessible toasts: one polite live region (role=status) that lives in the layout, so a
 * toast raised just before a navigation is still announced and seen on the next page.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback((message: string, tone: ToastTone = "info") => {
    const id = nextId.current++;
    setToasts((all) => [...all.slice(-3), { id, tone, message }]);
  }, []);
  const api = useMemo<ToastApi>(() => ({ show, success: (m) => show(m, "success"), error: (m) => show(m, "error") }), [show]);
  useEffect(() => {
    const carried = takeCarriedToast();
    if (carried) show(carried.message, carried.tone);
  }, [show]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <ToastRegion>
        {toasts.map((toast) => (
          <ToastCard key={toast.id} toast={toast} onDismiss={dismiss} />
        ))}
      </ToastRegion>
    </ToastContext.Provider>
  );
}

/** The one polite live region the toasts appear in. */
export function ToastRegion({ children }: { children?: ReactNode }) {
  return (
    <div
      role="status"
      aria-live="polite"
      aria-label="Notifications"
      className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end"
    >
      {children}
    </div>
  );
}

const TONES: Record<ToastTone, string> = {
  success: "border-emerald-200 bg-white text-slate-800 [&_[data-dot]]:bg-emerald-500",
  error: "border-red-200 bg-white text-slate-800 [&_[data-dot]]:bg-red-500",
  info: "border-slate-200 bg-white text-slate-800 [&_[data-dot]]:bg-brand-500",
};

export function ToastCard({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(toast.id), LIFETIME_MS[toast.tone]);
    return () => clearTimeout(timer);
  }, [toast, onDismiss]);
  return (
    <div
      data-toast={toast.tone}
      className={`pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg ${TONES[toast.tone]}`}
    >
      <span data-dot className="mt-1.5 size-2 shrink-0 rounded-full" aria-hidden="true" />
      <p className="flex-1">{toast.message}</p>
      <button
        type="button"
        onClick={() => onDismiss(toast.id)}
        className="-my-1 rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700"
        aria-label="Dismiss notification"
      >
        <svg viewBox="0 0 20 20" className="size-4" fill="currentColor" aria-hidden="true">
          <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
        </svg>
      </button>
    </div>
  );
}

/**
 * A toast for the next page when the browser loads that page whole (the list pages, which ship no
 * React: lib/page-scripts.ts), so the toasts above cannot follow: kept in sessionStorage for a few
 * seconds and shown by the page that loads next (public/dashboard.js, or ToastProvider above).
 */
export function carryToast(message: string, tone: ToastTone = "success"): void {
  try {
    sessionStorage.setItem(CARRIED_TOAST, JSON.stringify({ message, tone, at: Date.now() }));
  } catch {
    // Storage turned off: the next page simply shows no toast.
  }
}

const CARRIED_TOAST = "provenance.toast";
const CARRIED_FOR_MS = 10_000;

function takeCarriedToast(): { message: string; tone: ToastTone } | null {
  try {
    const text = sessionStorage.getItem(CARRIED_TOAST);
    sessionStorage.removeItem(CARRIED_TOAST);
    const carried = text ? (JSON.parse(text) as { message: string; tone: ToastTone; at: number }) : null;
    return carried && Date.now() - carried.at < CARRIED_FOR_MS ? carried : null;
  } catch {
    return null;
  }
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast must be used inside <ToastProvider>");
  return api;
}
