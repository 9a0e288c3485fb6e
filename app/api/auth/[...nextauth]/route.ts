import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";
import { limitedCredentialsSignIn } from "@/lib/auth/limited-sign-in";

// next-auth's sign-in, sign-out, session and CSRF endpoints. Options are built per request
// because they need the master key, which `next build` does not have. Password sign-in goes
// through the sign-in rate limits first.
type Context = { params: Promise<{ nextauth: string[] }> };

async function nextAuth(request: Request, context: Context) {
  return NextAuth(request as never, { params: await context.params } as never, authOptions());
}

async function POST(request: Request, context: Context) {
  const [action, provider] = (await context.params).nextauth;
  if (action === "callback" && provider === "credentials") {
    return limitedCredentialsSignIn(request, (copy) => nextAuth(copy, context));
  }
  return nextAuth(request, context);
}

export { nextAuth as GET, POST };
