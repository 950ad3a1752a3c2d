// An adapter whose store lacks the ledger half of the interface.
export default {
  name: 'half-a-store',
  consumptionStore: () => ({
    putPending: async () => {},
    getPending: async () => null,
    sweep: async () => ({ expired: 0, abandoned: 0 }),
    countPending: async () => 0,
    close: async () => {},
  }),
};
