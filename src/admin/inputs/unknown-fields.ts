import { didYouMean } from '../../core/validation/did-you-mean.js';

/**
 * The unknown fields of a control-plane body, each with the field it most likely meant: `polcy (did you
 * mean "policy"?), foo`. A typo is the usual cause, and naming the intended field fixes it in one go.
 */
export function unknownFields(keys: readonly string[], accepted: readonly string[]): string {
  return keys.map((k) => `${k}${didYouMean(k, accepted)}`).join(', ');
}
