// A module that loads, then ends the process with status 0 when its store is opened.
import { defineAdapter } from '@s3404/conformance/contracts';

export default defineAdapter({
  name: 'exits-in-factory',
  processes: 1,
  consumptionStore: () => process.exit(0),
});
