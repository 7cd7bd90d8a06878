import { MemoryTokens } from '../../../src/core/state/memory-tokens.js';
import { lifecycleRules } from './lifecycle-rules.js';

lifecycleRules('memory store', async () => ({ store: new MemoryTokens(), close: async () => undefined }));
