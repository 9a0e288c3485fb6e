"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email").email("Enter an email address"),
  password: z.string().min(1, "Enter your password"),
});
type SignIn = z.infer<typeof signInSchema>;

/** `notice`: a confirmation to show until something goes wrong (then only the error shows). */
export function LoginForm({ notice = null }: { notice?: string | null }) {
  const router = useRouter();
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, setFocus } = useForm<SignIn>({ resolver: zodResolver(signInSchema) });

  async function onSubmit(values: SignIn) {
    setFailure(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (result?.status === 429) {
      setFailure("Too many failed sign-in attempts. Wait a few minutes, then try again.");
      return;
    }
    if (!result || result.error) {
      setFailure("That email and password do not match an active account.");
      setFocus("password");
      return;
    }
    router.replace("/");
    router.refresh();
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-1">
      <Field id="email" label="Email" type="email" optionalLabel={false} autoComplete="username" autoFocus error={formState.errors.email?.message} {...register("email")} />
      <Field
        id="password"
        label="Password"
        type="password"
        optionalLabel={false}
        autoComplete="current-password"
        error={formState.errors.password?.message}
        {...register("password")}
      />
      <div className="pb-3">
        {/* One banner, one live region: an error replaces the notice. */}
        <FormBanner tone={failure ? "error" : "success"} message={failure ?? notice} />
      </div>
      <Button type="submit" pending={formState.isSubmitting} className="w-full">
        {formState.isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
