/**
 * The sandbox clock as last reported, run forward locally at its rate, so countdowns tick every
 * second without asking the server; any report from the server corrects it.
 */
export class SandboxClock {
  constructor() {
    this.epochMs = Date.now();
    this.rate = 1;
    this.offsetMs = 0;
    this.at = performance.now();
    this.known = false;
  }

  update(view) {
    if (!view || typeof view.epochMs !== 'number') return;
    this.epochMs = view.epochMs;
    this.rate = view.rate;
    this.offsetMs = view.offsetMs;
    this.at = performance.now();
    this.known = true;
  }

  now() {
    return this.epochMs + (performance.now() - this.at) * this.rate;
  }
}
