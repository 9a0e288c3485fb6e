"use client";

import type { ReactNode } from "react";
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
      record={connection}
      loadForm={loadEditForm}
      renderForm={(EditForm, current, done) => <EditForm connection={current} mask={mask} onDone={done} />}
    >
      {children}
    </EditInPlacePanel>
  );
}
