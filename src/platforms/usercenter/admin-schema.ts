import { z } from 'zod';
import { loginNames, VALIDATE_CODE_EXAMPLE } from './admin.js';
import type { UserCenterFixture } from './fixture.js';

const EXAMPLE = JSON.stringify(VALIDATE_CODE_EXAMPLE);
const CODE = /^[A-Za-z0-9]{1,32}$/;

/** POST /__sandbox/usercenter/validate-code: its messages name the users the fixture holds. */
export function validateCodeBody(fixture: UserCenterFixture) {
  const usernameMessage = `"username" must be the login name of a usercenter user (userCode, userName, mobile or e-mail), e.g. ${EXAMPLE}; users: ${loginNames(fixture)}.`;
  const codeMessage = (input: unknown) =>
    `"code" must be 1 to 32 letters or digits such as "123456" (leave it out for a random 6-digit code), got ${JSON.stringify(input)}.`;
  return z.strictObject(
    {
      username: z
        .string({ error: usernameMessage })
        .min(1, { error: usernameMessage })
        .describe('The login name of a usercenter user: userCode, userName, mobile or e-mail'),
      code: z
        .union([z.string(), z.number()], { error: (iss) => codeMessage(iss.input) })
        .refine((c) => CODE.test(String(c)), { error: (iss) => codeMessage(iss.input) })
        .optional()
        .describe('1 to 32 letters or digits; a random 6-digit code when left out'),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `Unknown field(s) ${iss.keys.join(', ')}: send only "username" and "code", e.g. ${EXAMPLE}.`
          : `Send a JSON object (Content-Type: application/json) such as ${EXAMPLE}.`,
    },
  );
}
