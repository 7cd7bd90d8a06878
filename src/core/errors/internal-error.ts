/**
 * The one kind of the platform side's last-resort answer: a sandbox bug that even the platform's
 * renderer could not turn into the platform's own system error, or an answer Node refused to write.
 * (The control plane's bugs answer its own `internal_error` ControlError kind.)
 */
export const SANDBOX_INTERNAL_ERROR = 'sandbox_internal_error';

/** The body of that answer: `{"error":"sandbox_internal_error","message"}`. */
export function internalErrorBody(message: string): { error: typeof SANDBOX_INTERNAL_ERROR; message: string } {
  return { error: SANDBOX_INTERNAL_ERROR, message };
}
