// The few parts of smtp-server (a dev dependency without bundled types) the SMTP fakes use.
declare module 'smtp-server' {
  import type { Server } from 'node:net';
  import type { Readable } from 'node:stream';
  export interface SMTPServerOptions {
    authOptional?: boolean;
    disabledCommands?: string[];
    logger?: boolean;
    /** Called when a client connects, before the greeting; the greeting waits for `callback`. */
    onConnect?(session: unknown, callback: (err?: Error | null) => void): void;
    onData?(stream: Readable, session: unknown, callback: (err?: Error | null) => void): void;
  }
  export class SMTPServer {
    on(event: 'error', listener: (err: Error) => void): this;
    constructor(options: SMTPServerOptions);
    server: Server;
    listen(port: number, host: string, callback: () => void): void;
    close(callback: () => void): void;
  }
}
