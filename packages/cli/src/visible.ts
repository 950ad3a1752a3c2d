/** `text` with every control character (C0, DEL, C1) shown as U+FFFD: what comes from a file or a store never drives the terminal. */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}
