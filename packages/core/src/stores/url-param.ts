/**
 * A store URL without the store's own parameter `name` (`tablePrefix` for
 * PostgreSQL, `prefix` for Redis, as the SDK's store URLs take them), and
 * that parameter's value (SIG-5); `null` when the URL does not parse.
 *
 * @internal For the s3404 packages' URL openers.
 */
export function withoutUrlParam(url: string, name: string): { readonly base: string; readonly value: string | undefined } | null {
  if (!URL.canParse(url)) return null;
  const u = new URL(url);
  const value = u.searchParams.get(name) ?? undefined;
  u.searchParams.delete(name);
  return { base: u.toString(), value };
}
