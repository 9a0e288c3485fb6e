import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";

// next-auth's sign-in, sign-out, session and CSRF endpoints. Options are built per request
// because they need the master key, which `next build` does not have.
type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Context) {
  return NextAuth(request as never, { params: await context.params } as never, authOptions());
}

export { handler as GET, handler as POST };
