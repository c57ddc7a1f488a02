// Minimal types for cuint (the 64-bit integer package behind xxhashjs), used to pass 64-bit seeds to xxhashjs.
declare module 'cuint' {
  export function UINT64(a00: number, a16: number, a32: number, a48: number): object;
}
