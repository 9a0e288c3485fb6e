import { expect } from "vitest";

/** Awaits a call that must fail with an error of `type`, and returns that error for closer inspection. */
export async function rejectionOf<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected the call to fail with ${type.name}, but it succeeded`);
}
