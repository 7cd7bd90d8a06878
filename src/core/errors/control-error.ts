/**
 * The control plane's refusals, as data: a kind (the `error` field of the answer), the message that
 * says what is wrong and how to fix it, and any extra fields. The catalogue maps each kind to its HTTP
 * status; the HTTP control plane renders it in one place, the in-process API throws it as it is.
 */
export const CONTROL_ERRORS = {
  invalid_request: 400,
  invalid_scenario: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_session: 404,
  unknown_scenario: 404,
  unknown_token: 404,
  unknown_user: 404,
  method_not_allowed: 405,
  ambiguous_token: 409,
  session_exists: 409,
  payload_too_large: 413,
  /** POST /__sandbox/requests/verify: the journal does not hold what the test expected (the message is the report). */
  verification_failed: 417,
  unsupported_media_type: 415,
  too_many_sessions: 429,
  too_many_faults: 429,
  internal_error: 500,
  closing: 503,
  store_unavailable: 503,
} as const satisfies Record<string, number>;

export type ControlErrorKind = keyof typeof CONTROL_ERRORS;

export class ControlError extends Error {
  constructor(
    readonly kind: ControlErrorKind,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ControlError';
  }

  get status(): number {
    return CONTROL_ERRORS[this.kind];
  }

  /** The answer's body: `{"error","message",...extra}`. */
  toJSON(): Record<string, unknown> {
    return { error: this.kind, message: this.message, ...this.extra };
  }
}

/** The one text for a session that does not exist, wherever the request came in. */
export function unknownSessionError(id: string): ControlError {
  return new ControlError(
    'unknown_session',
    `No session "${id}": it was never created or has been ended; GET /__sandbox/sessions lists the open ones, POST /__sandbox/sessions creates one.`,
  );
}
