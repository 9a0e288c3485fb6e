"use client";

import type { UseFormRegister } from "react-hook-form";
import { TextAreaField } from "@/components/text-area-field";
import { FENCE_HELP } from "@/lib/secret-providers/provider-path-fence";
import type { ConnectionFormValues } from "./connection-form-values";

/** The connection's path fence (allowedProviderPaths), one pattern per line: the same field on the new and the edit form. */
export function AllowedPathsField({ register, error }: { register: UseFormRegister<ConnectionFormValues>; error?: string }) {
  return (
    <TextAreaField
      id="allowedProviderPaths"
      label="Allowed provider paths"
      optionalLabel
      mono
      rows={3}
      placeholder={"secret/payments/**"}
      hint={`${FENCE_HELP} Applies to every role, on save, test and resolve.`}
      error={error}
      {...register("allowedProviderPaths")}
    />
  );
}
