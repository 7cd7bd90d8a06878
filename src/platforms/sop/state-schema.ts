import { z } from 'zod';

/** SOP keeps no per-world data of its own: its state is an empty object. */
export const sopStateSchema: z.ZodType<Record<string, never>> = z.object({}).strict();
