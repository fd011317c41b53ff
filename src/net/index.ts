// The user-mode NAT and its host interface (no Node APIs); the Node
// implementation of the interface is node.ts.
export * from './config.js';
export * from './host.js';
export { Nat, type NatOptions, type Publish } from './nat.js';
export { parsePublish } from './publish.js';
export type { EthernetLink } from './link.js';
