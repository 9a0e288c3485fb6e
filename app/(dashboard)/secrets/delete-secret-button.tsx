"use client";

import { Button } from "@/components/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { goToDocumentPage } from "@/components/go-to-document-page";
import { useConfirmedAction } from "@/components/use-confirmed-action";
import { deleteSecretAction } from "./actions";

/** Deletes a secret after a confirmation that names it and says what breaks. */
export function DeleteSecretButton({ id, secretPath, external }: { id: string; secretPath: string; external: boolean }) {
  const { open, pending, error, confirm, show, close } = useConfirmedAction(
    () => deleteSecretAction(id),
    () => {
      goToDocumentPage("/secrets", `Secret ${secretPath} deleted.`);
    },
    "The secret could not be deleted.",
  );

  return (
    <>
      <Button variant="danger" onClick={show}>
        Delete secret
      </Button>
      <ConfirmDialog
        open={open}
        title={`Delete ${secretPath}?`}
        confirmLabel="Delete secret"
        pendingLabel="Deleting…"
        pending={pending}
        onConfirm={confirm}
        onClose={close}
      >
        <p>
          Programs asking for <code className="font-mono text-slate-900">{secretPath}</code> will get “not found”.{" "}
          {external ? "The value in the external manager is not touched." : "The stored value is erased and cannot be recovered."}
        </p>
        {error ? <p className="font-medium text-red-700">{error}</p> : null}
      </ConfirmDialog>
    </>
  );
}
