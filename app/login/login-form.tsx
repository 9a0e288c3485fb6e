"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Field } from "@/components/field";

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email").email("Enter an email address"),
  password: z.string().min(1, "Enter your password"),
});
type SignIn = z.infer<typeof signInSchema>;

export function LoginForm() {
  const router = useRouter();
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<SignIn>({ resolver: zodResolver(signInSchema) });

  async function onSubmit(values: SignIn) {
    setFailure(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (!result || result.error) {
      setFailure("That email and password do not match an active account.");
      return;
    }
    router.replace("/");
    router.refresh();
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-2">
      <Field id="email" label="Email" type="email" autoComplete="username" error={formState.errors.email?.message} {...register("email")} />
      <Field
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        error={formState.errors.password?.message}
        {...register("password")}
      />
      <p role="status" aria-live="polite" className="min-h-5 text-sm text-red-600">
        {failure ?? ""}
      </p>
      <button
        type="submit"
        disabled={formState.isSubmitting}
        className="w-full rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:opacity-60"
      >
        {formState.isSubmitting ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
