/**
 * A store URL as messages and banners show it: whatever stands before the host (a user and a password)
 * becomes `***`. Up to the last `@` of the authority, as URL parsers read it, so a password that itself
 * holds an `@` does not leave its tail in the message.
 */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^/?#]*@/, '//***@');
}
