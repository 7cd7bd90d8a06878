import { z } from 'zod';
import type { ZjrcState } from './state.js';

/** ZJRC's per-world data as a --db snapshot holds it: the newest refresh token of each "appId openId". */
export const zjrcStateSchema: z.ZodType<ZjrcState> = z.object({ currentRefresh: z.record(z.string(), z.string()) });
