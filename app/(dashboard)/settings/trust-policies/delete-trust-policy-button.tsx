"use client";

import { Button } from "@/components/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useToast } from "@/components/toast-provider";
import { useConfirmedAction } from "@/components/use-confirmed-action";
import { deleteTrustPolicyAction } from "./actions";

/** Deletes a trust policy after confirming; the tokens it issued stop working at once. */
export function DeleteTrustPolicyButton({ id, name }: { id: string; name: string }) {
  const toast = useToast();
  const { open, pending, error, confirm, show, close } = useConfirmedAction(
    () => deleteTrustPolicyAction(id),
    () => toast.success(`Trust policy “${name}” deleted.`),
    "The trust policy could not be deleted.",
  );

  return (
    <>
      <Button variant="secondary" size="sm" onClick={show} aria-label={`Delete trust policy ${name}`}>
        Delete
      </Button>
      <ConfirmDialog
        open={open}
        title={`Delete “${name}”?`}
        confirmLabel="Delete policy"
        pendingLabel="Deleting…"
        pending={pending}
        onConfirm={confirm}
        onClose={close}
      >
        <p>Workloads can no longer exchange ID tokens under this policy, and the tokens it issued are revoked now (401 from then on).</p>
        {error ? <p className="font-medium text-red-700">{error}</p> : null}
      </ConfirmDialog>
    </>
  );
}
