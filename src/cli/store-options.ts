import type { Options } from 'yargs';

/** Where the sandbox keeps its state, and how many processes serve it (the options of `sandbox start` for scaling out). */
export const storeOptions = {
  store: {
    type: 'string',
    default: 'memory',
    describe: 'Where state lives: memory (this process) or a Redis URL (redis://host:6379/0) that every sandbox process started with it shares',
  },
  'store-prefix': { type: 'string', default: 'sandbox:', describe: 'Prefix of every key written to a shared store, so several sandboxes can share one Redis' },
  workers: { type: 'number', default: 1, describe: 'Serve with this many worker processes on one port, sharing state through --store redis://…' },
} satisfies Record<string, Options>;
