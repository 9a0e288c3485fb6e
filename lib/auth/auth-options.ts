import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { deriveSecret } from "@/lib/crypto";
import { env } from "@/lib/env";
import { keyring } from "@/lib/keys/keyring";
import { signInWithPassword } from "./sign-in";

/** Sessions last a working day; the user is re-read from the database on every request. */
const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/**
 * next-auth's options, built on first use rather than at import, because the signing secret
 * comes from the master key (unless NEXTAUTH_SECRET is set) and `next build` must not need it.
 */
let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: env().NEXTAUTH_SECRET || deriveSecret(keyring(), "nextauth-session").toString("base64url"),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          const headers = new Headers();
          for (const [key, value] of Object.entries(request?.headers ?? {})) {
            if (typeof value === "string") headers.set(key, value);
          }
          const user = await signInWithPassword({
            email: credentials?.email ?? "",
            password: credentials?.password ?? "",
            headers,
          });
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        return { ...session, userId: token.sub };
      },
    },
  };
  return cached;
}
