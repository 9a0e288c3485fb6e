"use client";

import type { ReactNode } from "react";
import { EditInPlacePanel } from "@/components/edit-in-place-panel";
import type { SecretView } from "@/lib/secrets/secret-view";
import type { ProviderOption } from "./provider-options";
import type { ConnectionOption } from "./secret-form";

// The form (react-hook-form and its fields) is loaded when Edit is clicked, or earlier when the
// browser is idle: most visits to a secret read it, and the page stays within its weight budget.
const loadSecretForm = () => import("./secret-form").then((m) => m.SecretForm);

/**
 * A secret's settings: a read-only summary (rendered by the page), and for editors and admins an
 * Edit button that swaps it for the secret form, closed again by Cancel or a save
 * (EditInPlacePanel).
 */
export function SecretSettingsPanel({
  secret,
  connections,
  providers,
  canEdit,
  canCreateConnections,
  children,
}: {
  secret: SecretView;
  connections: ConnectionOption[];
  providers: ProviderOption[];
  canEdit: boolean;
  canCreateConnections: boolean;
  children: ReactNode;
}) {
  return (
    <EditInPlacePanel
      title={{ summary: "Settings", editing: "Edit secret" }}
      description={{ summary: canEdit ? undefined : "Only editors and admins can change secrets." }}
      canEdit={canEdit}
      record={secret}
      loadForm={loadSecretForm}
      renderForm={(SecretForm, current, done) => (
        <SecretForm
          secret={current}
          connections={connections}
          providers={providers}
          canCreateConnections={canCreateConnections}
          onDone={done}
        />
      )}
    >
      {children}
    </EditInPlacePanel>
  );
}
