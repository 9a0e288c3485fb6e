"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/button";
import { useToast } from "@/components/toast-provider";
import { whenIdle } from "@/components/when-idle";
import type { ConnectionView } from "@/lib/secret-providers/connection-view";
import type { ConnectionEditForm as EditForm } from "./connection-edit-form";

// The edit form (react-hook-form, the provider definitions, the config fields) is loaded when Edit
// is clicked, or earlier when the browser is idle: most visits only read the settings.
const loadEditForm = () => import("./connection-edit-form").then((m) => m.ConnectionEditForm);

/**
 * The connection's settings: a read-only summary (rendered by the page), and for admins an Edit
 * button that swaps it for the edit form, with Cancel to swap back. Focus follows: into the form
 * when it opens, back to Edit when it closes. The form is rendered once its module is loaded, so
 * focus finds its first field as before.
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
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState<{ Component: typeof EditForm } | null>(null);
  const [loading, setLoading] = useState(false);
  // What the last save answered: newer than the page's copy until the page has re-rendered, so
  // an edit opened again at once starts from the saved settings.
  const [saved, setSaved] = useState<ConnectionView | null>(null);
  const current = saved && saved.version > connection.version ? saved : connection;
  const editButton = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!canEdit) return;
    return whenIdle(() => void loadEditForm().catch(() => undefined)); // a failed prefetch: Edit imports again
  }, [canEdit]);

  async function openEditor() {
    setLoading(true);
    try {
      const Component = form?.Component ?? (await loadEditForm());
      setForm({ Component });
      setEditing(true);
    } catch {
      toast.error("The edit form could not be loaded. Check the connection to the server and try again.");
    } finally {
      setLoading(false);
    }
  }

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
          <Button ref={editButton} variant="secondary" pending={loading} onClick={openEditor} aria-label={`Edit ${connection.name}`}>
            Edit
          </Button>
        ) : null}
      </header>
      <div className="px-5 py-5" ref={body}>
        {editing && form ? (
          <form.Component
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
