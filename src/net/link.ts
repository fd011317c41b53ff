// The kernel's network device as the host sees it: Ethernet frames both ways
// (asm/host_ops.h net_*). The NAT is one; a test's loopback wire could be
// another. No Node APIs.

export interface EthernetLink {
  /** The guest interface's MAC address. */
  readonly mac: Uint8Array;
  /** A frame the guest sent (a view of kernel memory, valid during the call). */
  send(frame: Uint8Array): void;
  /** The length of the next frame for the guest, 0 when none. */
  peek(): number;
  /** Take the next frame for the guest. */
  take(): Uint8Array | undefined;
  /**
   * Set by the kernel host: called when frames for the guest become available (when the queue
   * stops being empty; frames already waiting when it is set are for the kernel host to see).
   */
  onFrames: (() => void) | undefined;
}
