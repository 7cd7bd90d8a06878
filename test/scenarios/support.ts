export const HEX32 = /^[0-9a-f]{32}$/;

export const tokenBody = () => ({
  data: { tokenType: 'Bearer', accessToken: expect.stringMatching(HEX32), expiresIn: 3600, refreshToken: expect.stringMatching(HEX32) },
  success: true,
  code: '0',
});

export const mantunFailure = (code: string, message: string) => ({ success: false, code, message });

export const PROJECTS = { success: true, code: '0', data: [{ projectCode: 'P00000000009', projectName: 'Sandbox demo project' }] };

/** The error code of a call the sandbox did not answer (a reset or empty connection); fails if it was answered. */
export async function networkError(call: PromiseLike<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
  throw new Error('the call was answered');
}
