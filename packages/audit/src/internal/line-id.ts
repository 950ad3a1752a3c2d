/** Where the top-level `id` member starts in a canonical line: no other key ends in a lowercase `id` (`personId`, `recordId`), and a string's quotes are escaped. */
const ID_MEMBER = '"id":"';

/** The `id` of a canonical event line, read without parsing it. */
export function lineId(line: string): string {
  const at = line.indexOf(ID_MEMBER);
  return at < 0 ? '' : line.slice(at + ID_MEMBER.length, at + ID_MEMBER.length + 36);
}
