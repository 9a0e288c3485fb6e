/** "an admin", "an editor", "a viewer": a role with its article, for messages. */
export function withArticle(role: string): string {
  return `${/^[aeiou]/i.test(role) ? "an" : "a"} ${role}`;
}
