"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";
import { useToast } from "./toast-provider";
import { whenIdle } from "./when-idle";

/**
 * A panel that shows a read-only summary (its children, rendered by the page) and, for those who
 * may edit, an Edit button that swaps the summary for an edit form, which closes again on Cancel
 * or a save. The form's module (react-hook-form and the fields) is imported when Edit is clicked,
 * or earlier when the browser is idle: most visits only read, so it is not part of the page's
 * first load. Focus follows: into the form's first field when it opens, back to Edit when it
 * closes. The form is rendered once its module is loaded, so focus finds that field.
 *
 * `loadForm` imports the form component (`() => import("./x-form").then((m) => m.XForm)`), a
 * module-level constant; `renderForm` renders it with the record to edit and `done`, for its Cancel
 * (no argument) and its save (the saved record). The saved record is the one edited next until
 * the page, re-rendered by the save, passes a version at least as new: so an edit opened again at
 * once starts from what was saved.
 */
export function EditInPlacePanel<Form, Record extends { version: number }>({
  title,
  description,
  canEdit,
  editLabel,
  record,
  loadForm,
  renderForm,
  children,
}: {
  title: { summary: string; editing: string };
  description: { summary?: ReactNode; editing?: ReactNode };
  canEdit: boolean;
  /** The Edit button's accessible name, when "Edit" alone would not say what it edits. */
  editLabel?: string;
  /** What the form edits, as the page last rendered it. */
  record: Record;
  loadForm: () => Promise<Form>;
  renderForm: (Form: Form, record: Record, done: (saved?: Record) => void) => ReactNode;
  children: ReactNode;
}) {
  const toast = useToast();
  const headingId = useId();
  const [editing, setEditing] = useState(false);
  // Wrapped: a component (a function) given to setState would be called as an updater.
  const [form, setForm] = useState<{ Form: Form } | null>(null);
  const [loading, setLoading] = useState(false);
  const [saved, setSaved] = useState<Record | null>(null);
  const current = saved && saved.version > record.version ? saved : record;
  const editButton = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!canEdit) return;
    return whenIdle(() => void loadForm().catch(() => undefined)); // a failed prefetch: Edit imports again
  }, [canEdit, loadForm]);

  async function openEditor() {
    setLoading(true);
    try {
      const Form = form ? form.Form : await loadForm();
      setForm({ Form });
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

  const shownDescription = editing ? description.editing : description.summary;
  return (
    <section className="rounded-xl border border-slate-200 bg-white shadow-sm" aria-labelledby={headingId}>
      <header className="flex items-start justify-between gap-3 border-b border-slate-100 px-5 py-4">
        <div>
          <h2 id={headingId} className="text-sm font-semibold text-slate-900">
            {editing ? title.editing : title.summary}
          </h2>
          {shownDescription ? <p className="mt-0.5 text-sm text-slate-600">{shownDescription}</p> : null}
        </div>
        {canEdit && !editing ? (
          <Button ref={editButton} variant="secondary" pending={loading} onClick={openEditor} aria-label={editLabel}>
            Edit
          </Button>
        ) : null}
      </header>
      <div className="px-5 py-5" ref={body}>
        {editing && form
          ? renderForm(form.Form, current, (result) => {
              if (result) setSaved(result);
              setEditing(false);
            })
          : children}
      </div>
    </section>
  );
}
