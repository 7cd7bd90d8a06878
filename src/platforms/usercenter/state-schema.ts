import { z } from 'zod';
import type { UserCenterState } from './state.js';

/** UserCenter's per-world data as a --db snapshot holds it: the next validate code of each user, by userId. */
export const usercenterStateSchema: z.ZodType<UserCenterState> = z.object({ nextValidateCodes: z.record(z.string(), z.string()) });
