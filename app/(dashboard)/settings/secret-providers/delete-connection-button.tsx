"use client";

import { AppLink } from "@/components/app-link";
import { useState } from "react";
import { Button } from "@/components/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { goToDocumentPage } from "@/components/go-to-document-page";
import { deleteConnectionAction } from "./actions";

interface Blocked {
  count: number;
  secrets: Array<{ id: string; secretPath: string }>;
}

/**
 * Deleting asks first. While secrets reference the connection it cannot go: the dialog says how
 * many and links to them (known when the page was drawn, or learned from the server's refusal).
 */
export function DeleteConnectionButton({ id, name, secretCount }: { id: string; name: string; secretCount: number }) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [blocked, setBlocked] = useState<Blocked | null>(null);
  const [error, setError] = useState<string | null>(null);

  function openDialog() {
    setError(null);
    setBlocked(secretCount > 0 ? { count: secretCount, secrets: [] } : null);
    setOpen(true);
  }

  async function confirm() {
    setPending(true);
    setError(null);
    const result = await deleteConnectionAction(id);
    setPending(false);
    if (!result.ok) return setError(result.message ?? "The connection could not be deleted.");
    if (!result.data.deleted) return setBlocked({ count: result.data.referencingSecrets, secrets: result.data.secrets });
    setOpen(false);
    goToDocumentPage("/settings/secret-providers", `Connection “${name}” deleted.`);
  }

  const secretsHref = `/secrets?secretProviderId=${encodeURIComponent(id)}`;
  return (
    <>
      <Button variant="danger" onClick={openDialog}>
        Delete connection
      </Button>
      <ConfirmDialog
        open={open}
        title={blocked ? `“${name}” is still in use` : `Delete “${name}”?`}
        confirmLabel="Delete connection"
        pendingLabel="Deleting…"
        pending={pending}
        hideConfirm={Boolean(blocked)}
        cancelLabel={blocked ? "Close" : "Cancel"}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        {blocked ? (
          <div data-testid="delete-blocked" className="space-y-3">
            <p>
              It is used by{" "}
              <strong className="text-slate-900">
                {blocked.count} secret{blocked.count === 1 ? "" : "s"}
              </strong>
              . Delete {blocked.count === 1 ? "it" : "them"} or move {blocked.count === 1 ? "it" : "them"} to another connection first.
            </p>
            {blocked.secrets.length > 0 ? (
              <ul className="max-h-32 space-y-0.5 overflow-y-auto font-mono text-xs text-slate-700">
                {blocked.secrets.slice(0, 5).map((secret) => (
                  <li key={secret.id}>{secret.secretPath}</li>
                ))}
                {blocked.count > 5 ? <li className="font-sans text-slate-500">and {blocked.count - 5} more</li> : null}
              </ul>
            ) : null}
            <AppLink href={secretsHref} className="inline-flex font-medium text-brand-600 underline-offset-2 hover:underline">
              Show the {blocked.count} secret{blocked.count === 1 ? "" : "s"} using it →
            </AppLink>
          </div>
        ) : (
          <p>Secrets can no longer be fetched through it, and its stored credentials are erased. This cannot be undone.</p>
        )}
        {error ? <p className="font-medium text-red-700">{error}</p> : null}
      </ConfirmDialog>
    </>
  );
}
