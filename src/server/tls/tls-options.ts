/** A certificate (chain) and its private key, both PEM: what the sandbox serves HTTPS with. */
export interface TlsOptions {
  cert: string;
  key: string;
}
