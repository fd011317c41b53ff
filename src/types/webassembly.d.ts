// The WebAssembly JS API as Node 20 and browsers provide it (TypeScript ships
// it only with the DOM library, which the Node-free core does not load).
declare namespace WebAssembly {
  class Module {
    constructor(bytes: BufferSource);
    static imports(m: Module): { module: string; name: string; kind: string }[];
    static exports(m: Module): { name: string; kind: string }[];
  }
  class Instance {
    constructor(m: Module, imports?: Imports);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(d: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  class Global {
    constructor(d: { value: string; mutable?: boolean }, v?: unknown);
    value: unknown;
  }
  type Imports = Record<string, Record<string, unknown>>;
  function instantiate(m: Module, imports?: Imports): Promise<Instance>;
  function compile(bytes: BufferSource): Promise<Module>;
  function validate(bytes: BufferSource): boolean;
  class CompileError extends Error {}
}
type BufferSource = ArrayBufferView | ArrayBuffer;
