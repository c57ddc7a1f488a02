import { describe } from '../internal/validate';

/**
 * A Redis client as {@link RedisNearDuplicateDetector.open} accepts it, duck-typed so that the package depends on
 * no client: a node-redis client (`createClient()` of `redis` ≥ 4, tested with 6.4.0: its `sendCommand`), an
 * ioredis client (tested with 6.1.0: its `callBuffer`), or any object with a `call(args)` that sends one
 * command and resolves to its reply with bulk strings as `Uint8Array`s (a Valkey client, a test double).
 * The caller connects and disconnects it; the detector never opens or closes a connection.
 * @example
 * ```ts
 * // Any object with call(args) will do; this one answers PING like a server would.
 * const client: RedisClientLike = { call: async (args) => (args[0] === 'PING' ? 'PONG' : null) };
 * typeof client.call; // => 'function'
 * ```
 */
export type RedisClientLike =
  | {
      /** Sends one command (`args[0]` is its name) and resolves to the reply, bulk strings as `Uint8Array`. */
      call(args: readonly (string | Uint8Array)[]): Promise<unknown>;
    }
  | {
      /** node-redis: sends one command. */
      sendCommand(args: readonly any[], options?: any): Promise<unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any
    }
  | {
      /** ioredis: sends one command, bulk-string replies as Buffers. */
      callBuffer(command: string, ...args: any[]): Promise<unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };

/** One command round trip: arguments as strings or bytes, bulk-string replies as `Uint8Array`s. @internal */
export type Send = (args: readonly (string | Uint8Array)[]) => Promise<unknown>;

interface BufferLike {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array;
}

/**
 * Node's `Buffer`, which both clients want for binary arguments and produce for binary replies. Read from the
 * global scope (Node, Deno and Bun have it) so that the core imports no `node:` module.
 */
function bufferClass(what: string): BufferLike {
  const B = (globalThis as { Buffer?: BufferLike }).Buffer;
  if (!B) throw new TypeError(`${what}: node-redis and ioredis clients need the global Buffer (Node, Deno or Bun)`);
  return B;
}

/** Returns how to send one command with `client`, or throws a TypeError saying which shapes are accepted. @internal */
export function adaptClient(client: unknown, what: string): Send {
  const c = client as Record<string, unknown> | null;
  if (typeof c === 'object' && c !== null) {
    if (typeof c.callBuffer === 'function') {
      // ioredis: callBuffer returns bulk strings as Buffers.
      const B = bufferClass(what);
      const callBuffer = c.callBuffer as (command: string, ...args: unknown[]) => Promise<unknown>;
      return (args) => callBuffer.call(c, args[0] as string, ...args.slice(1).map((a) => toArg(B, a)));
    }
    if (typeof c.sendCommand === 'function') {
      // node-redis: `typeMapping` (v5+) or `returnBuffers` (v4) asks for bulk strings as Buffers. (Map replies
      // would still have string keys, so the detector reads hashes with HSCAN, whose reply is an array.)
      const B = bufferClass(what);
      const options = { typeMapping: { 36: B }, returnBuffers: true };
      const sendCommand = c.sendCommand as (args: unknown[], options: unknown) => Promise<unknown>;
      return (args) => sendCommand.call(c, args.map((a) => toArg(B, a)), options);
    }
    if (typeof c.call === 'function') {
      const call = c.call as Send;
      return (args) => call.call(c, args);
    }
  }
  throw new TypeError(
    `${what}: client must be a node-redis client (sendCommand), an ioredis client (callBuffer) or an object with ` +
      `call(args), got ${describe(client)}`,
  );
}

function toArg(B: BufferLike, a: string | Uint8Array): unknown {
  return typeof a === 'string' ? a : B.from(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * `send` bounded by a timeout: rejects with an Error naming the operation when no reply comes within `ms`
 * (a lost connection makes both clients queue commands and wait for a reconnect, which would hang the caller).
 * `timeoutMs` is the bound the message names (`ms` may be what is left of it).
 * @internal
 */
export function withTimeout(send: Send, ms: number, what: string, timeoutMs = ms): Send {
  return (args) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(
          `${what}: no reply from Redis to ${String(args[0])} within ${timeoutMs} ms (timeoutMs); the connection may be lost, ` +
            'and the command may still run when it comes back',
        ));
      }, ms);
      send(args).then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
}
