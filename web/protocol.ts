// Messages between the page (page.ts: the terminal, the disk controls) and
// the worker that runs the system (worker.ts). Terminal bytes go both ways
// unchanged: the worker's console is the terminal's line discipline.

/** Where /dev/vda comes from at boot. */
export type DiskSource =
  | { kind: 'none' }
  /** the image kept in the browser's storage (OPFS), with the changes made to it */
  | { kind: 'stored' }
  /** a new image: fetched from a URL or chosen by the user; it replaces the stored one */
  | { kind: 'url'; url: string }
  | { kind: 'file'; file: File }
  /** remove the stored image, boot without one */
  | { kind: 'forget' };

export type ToWorker =
  | { t: 'boot'; rows: number; cols: number; command?: string; disk: DiskSource; verbose: boolean }
  /** keystrokes */
  | { t: 'in'; data: Uint8Array }
  | { t: 'resize'; rows: number; cols: number }
  /** the disk's current bytes, for a download (written back first) */
  | { t: 'download' };

export type FromWorker =
  /** terminal output */
  | { t: 'out'; data: Uint8Array | string }
  /** boot progress: what is loading, bytes so far and in all (0: unknown) */
  | { t: 'progress'; what: string; loaded: number; total: number }
  /** the shell's first prompt is up; how long since the worker started, and how guest memory is kept */
  | { t: 'ready'; bootMs: number; sharedMemory: boolean; disk?: DiskInfo }
  /** the system did not start (a bad image, a missing asset), one line */
  | { t: 'fatal'; message: string }
  /** the shell ended (poweroff, Ctrl-D): the system is down */
  | { t: 'down'; status: number }
  | { t: 'image'; name: string; bytes: ArrayBuffer }
  | { t: 'error'; message: string };

export interface DiskInfo {
  /** where the image came from: its URL or file name */
  origin: string;
  size: number;
  type: string;
}
