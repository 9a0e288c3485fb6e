"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/button";
import type { ConnectionView } from "@/lib/secret-providers/connection-view";
import { ConnectionEditForm } from "./connection-edit-form";

/**
 * The connection's settings: a read-only summary (rendered by the page), and for admins an Edit
 * button that swaps it for the edit form, with Cancel to swap back. Focus follows: into the form
 * when it opens, back to Edit when it closes.
 */
export function ConnectionConfigPanel({
  connection,
  mask,
  canEdit,
  children,
}: {
  connection: ConnectionView;
  mask: string;
  canEdit: boolean;
  children: ReactNode;
}) {
  const [editing, setEditing] = useState(false);
  // What the last save answered: newer than the page's copy until the page has re-rendered, so
  // an edit opened again at once starts from the saved settings.
  const [saved, setSaved] = useState<ConnectionView | null>(null);
  const current = saved && saved.version > connection.version ? saved : connection;
  const editButton = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (editing) body.current?.querySelector<HTMLInputElement>("input:not([type=hidden]), textarea, select")?.focus();
    else if (opened.current) editButton.current?.focus();
    opened.current = editing || opened.current;
  }, [editing]);

  return (
    <section className="rounded-xl border border-slate-200 bg-white shadow-sm" aria-labelledby="configuration-heading">
      <header className="flex items-start justify-between gap-3 border-b border-slate-100 px-5 py-4">
        <div>
          <h2 id="configuration-heading" className="text-sm font-semibold text-slate-900">
            {editing ? "Edit connection" : "Configuration"}
          </h2>
          <p className="mt-0.5 text-sm text-slate-600">
            {editing
              ? "Stored credentials show as ••••••••; they are kept unless you replace them."
              : canEdit
                ? "Credentials are stored encrypted and never shown."
                : "Only admins can change connections. Credentials are never shown."}
          </p>
        </div>
        {canEdit && !editing ? (
          <Button ref={editButton} variant="secondary" onClick={() => setEditing(true)} aria-label={`Edit ${connection.name}`}>
            Edit
          </Button>
        ) : null}
      </header>
      <div className="px-5 py-5" ref={body}>
        {editing ? (
          <ConnectionEditForm
            connection={current}
            mask={mask}
            onDone={(result) => {
              if (result) setSaved(result);
              setEditing(false);
            }}
          />
        ) : (
          children
        )}
      </div>
    </section>
  );
}
