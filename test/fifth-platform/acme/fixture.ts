import { z } from 'zod';
import { catalogueOverridesSchema } from '../../../src/core/errors/catalogue-overrides.js';
import { ACME_ERRORS } from './errors.js';

export const acmeFixtureSchema = z
  .object({
    clients: z.array(z.object({ id: z.string().min(1), secret: z.string().min(1) }).strict()).default([]),
    keys: z.object({ privateKey: z.string(), publicKey: z.string() }).strict().optional(),
    errors: catalogueOverridesSchema(ACME_ERRORS.kinds, { code: z.string(), why: z.string() }),
  })
  .strict();

export type AcmeFixture = z.infer<typeof acmeFixtureSchema>;
