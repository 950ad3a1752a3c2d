// A module that exports something else.
export const store = {};
export default 42;
