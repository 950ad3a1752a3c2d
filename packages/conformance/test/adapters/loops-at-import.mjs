// A module that never finishes loading: a synchronous loop at its top level.
while (true) {}
