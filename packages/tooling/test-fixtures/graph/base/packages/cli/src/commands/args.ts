// Shared argument helpers live in their own module, not in a command file (no cycle).
export const one = (args: readonly string[]): string => args[0] ?? '';
