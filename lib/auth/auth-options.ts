import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { deploymentIsHttps } from "@/lib/api/security-headers";
import { sourceIp } from "@/lib/api/source-ip";
import { decodeSessionToken, sessionSecrets } from "./session-token";
import { createSession, endSession, SESSION_MAX_AGE_SECONDS } from "./sessions";
import { signInWithPassword } from "./sign-in";

/**
 * next-auth's options, built on first use rather than at import, because the signing secret
 * comes from the master key (unless NEXTAUTH_SECRET is set) and `next build` must not need it.
 */
let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  // Without NEXTAUTH_URL, next-auth builds redirects on X-Forwarded-Host/Proto only when told the
  // host is trusted, and on http://localhost:3000 otherwise. proxy.ts replaces those headers on
  // every /api/auth request with the address we believe (lib/auth/request-origin.ts), so they are.
  process.env.AUTH_TRUST_HOST = "true";
  cached ??= {
    secret: sessionSecrets()[0],
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    // Cookies are HttpOnly and SameSite=Lax (next-auth's defaults); on an https deployment they are
    // also Secure and __Secure- prefixed, so they never travel over plain http.
    useSecureCookies: deploymentIsHttps(),
    jwt: { decode: ({ token }) => decodeSessionToken(token) },
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
          // A JSON sign-in body may carry anything; only strings are credentials.
          const text = (value: unknown) => (typeof value === "string" ? value : "");
          const user = await signInWithPassword({
            email: text(credentials?.email),
            password: text(credentials?.password),
            headers,
          });
          if (!user) return null;
          return { id: user.id, email: user.email, name: user.name, sessionId: await createSession(user.id, sourceIp(headers)) };
        },
      }),
    ],
    callbacks: {
      // Where next-auth sends the browser after sign-in or sign-out: only ever back to this site,
      // and a callbackUrl that is no URL at all means the home page (next-auth's default throws).
      redirect({ url, baseUrl }) {
        try {
          const target = new URL(url, baseUrl);
          return target.origin === new URL(baseUrl).origin ? target.toString() : baseUrl;
        } catch {
          return baseUrl;
        }
      },
      jwt({ token, user }) {
        // On sign-in only: the cookie carries the id of the server-side session, nothing more.
        if (user) return { sub: user.id, sid: (user as { sessionId?: string }).sessionId };
        return token;
      },
      // What the browser may read from /api/auth/session: no ids.
      session({ session }) {
        return { expires: session.expires, user: { email: session.user?.email, name: session.user?.name } };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await endSession(token.sid);
      },
    },
  };
  return cached;
}
