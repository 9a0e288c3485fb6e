"use client";

import { useState, type ReactNode } from "react";
import { EditInPlacePanel } from "@/components/edit-in-place-panel";
import type { ConnectionView } from "@/lib/secret-providers/connection-view";

// The edit form (react-hook-form, the provider definitions, the config fields) is loaded when Edit
// is clicked, or earlier when the browser is idle: most visits only read the settings.
const loadEditForm = () => import("./connection-edit-form").then((m) => m.ConnectionEditForm);

/**
 * The connection's settings: a read-only summary (rendered by the page), and for admins an Edit
 * button that swaps it for the edit form, with Cancel to swap back (EditInPlacePanel).
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
  // What the last save answered: newer than the page's copy until the page has re-rendered, so
  // an edit opened again at once starts from the saved settings.
  const [saved, setSaved] = useState<ConnectionView | null>(null);
  const current = saved && saved.version > connection.version ? saved : connection;

  return (
    <EditInPlacePanel
      title={{ summary: "Configuration", editing: "Edit connection" }}
      description={{
        summary: canEdit
          ? "Credentials are stored encrypted and never shown."
          : "Only admins can change connections. Credentials are never shown.",
        editing: "Stored credentials show as ••••••••; they are kept unless you replace them.",
      }}
      canEdit={canEdit}
      editLabel={`Edit ${connection.name}`}
      loadForm={loadEditForm}
      renderForm={(EditForm, close) => (
        <EditForm
          connection={current}
          mask={mask}
          onDone={(result) => {
            if (result) setSaved(result);
            close();
          }}
        />
      )}
    >
      {children}
    </EditInPlacePanel>
  );
}
