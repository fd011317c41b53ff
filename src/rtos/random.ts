// The host's random bytes, for what the kernel's generator does not give:
// the seed of its random pool at boot, and a new program's AT_RANDOM.
// crypto.getRandomValues unless the host sets a source of its own (Node's
// reads /dev/urandom: crypto.getRandomValues loads Node's crypto modules,
// some 3 ms of a start).

let source = (into: Uint8Array): void => {
  crypto.getRandomValues(into);
};

/** Fill with random bytes from the host. */
export function hostRandom(into: Uint8Array): void {
  source(into);
}

/** The host's source of random bytes (boot.ts sets the BootHost's). */
export function setHostRandom(f: (into: Uint8Array) => void): void {
  source = f;
}
