/**
 * Text of a report made safe for HTML (X-3, X-2): `& < > " '` escaped, so a
 * vector's comment or an SDK's message containing `<script>` or `</table>`
 * shows as text, in an element or in a quoted attribute; control characters
 * (other than tab and line feed) and lone surrogates become U+FFFD.
 */
export function escapeHtml(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** An HTML `id` for a requirement (`req-FORM-2`): letters, digits and `-` kept, anything else `_`. */
export function anchorOf(requirement: string): string {
  return `req-${requirement.replace(/[^A-Za-z0-9-]/g, '_').slice(0, 60)}`;
}
