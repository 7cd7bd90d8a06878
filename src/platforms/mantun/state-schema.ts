import { z } from 'zod';
import type { MantunState } from './state.js';

const epochMs = z.number().finite().min(0);
const channel = z.object({ oc: z.boolean(), updateTime: z.string() });
const byBoxAndChannel = <T extends z.ZodType>(value: T) => z.record(z.string(), z.record(z.string(), value));

/**
 * Mantun's per-world data as a --db snapshot holds it: what PUT_BOX_CONTROL set, by box mac and channel addr,
 * and each channel's switches as [epoch ms, on]. `switches` may be absent (state saved before it existed).
 */
export const mantunStateSchema: z.ZodType<MantunState> = z.object({
  channels: byBoxAndChannel(channel),
  switches: byBoxAndChannel(z.array(z.tuple([epochMs, z.boolean()]))).optional(),
});
