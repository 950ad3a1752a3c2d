// An adapter whose factory cannot reach its database.
export const adapter = {
  name: 'unreachable',
  processes: 2,
  consumptionStore: () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:1521');
  },
};
