/**
 * Questions on the terminal through node:readline. One interface serves the whole command, so
 * piped input (`printf 'pw\npw\n' | … changepassword alice`) is read line by line without
 * losing what a second interface would not see. Hidden questions (passwords) mute readline's
 * echo; on a terminal nothing typed is shown, as with Django's getpass.
 */
import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';
import { CommandError } from './command-error.js';

/**
 * Questions on a terminal or piped input through one readline interface (one line per answer).
 * Hidden questions do not echo. A question after the input ended rejects with CommandError.
 */
export class Prompter {
  readonly #output: NodeJS.WritableStream;
  readonly #rl: Interface;
  readonly #lines: string[] = [];
  #waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | null = null;
  #closed = false;
  #muted = false;

  constructor(input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin, output: NodeJS.WritableStream = process.stdout) {
    this.#output = output;
    const echo = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        if (!this.#muted) output.write(chunk);
        done();
      },
    });
    this.#rl = createInterface({ input, output: echo, terminal: Boolean(input.isTTY) });
    this.#rl.on('line', (line) => {
      if (this.#waiting) {
        const { resolve } = this.#waiting;
        this.#waiting = null;
        resolve(line);
      } else {
        this.#lines.push(line);
      }
    });
    this.#rl.on('close', () => {
      this.#closed = true;
      this.#waiting?.reject(new CommandError('Input ended before every question was answered.'));
      this.#waiting = null;
    });
    // Ctrl+C on a terminal in raw mode reaches readline, not the process.
    this.#rl.on('SIGINT', () => {
      this.#output.write('\nOperation cancelled.\n');
      process.exit(130);
    });
  }

  /** Asks and resolves to the answer (trimmed). */
  async ask(question: string): Promise<string> {
    this.#output.write(question);
    return (await this.#nextLine()).trim();
  }

  /** Asks without echoing what is typed; the answer is not trimmed (spaces may be part of a password). */
  async askHidden(question: string): Promise<string> {
    this.#output.write(question);
    this.#muted = true;
    try {
      return await this.#nextLine();
    } finally {
      this.#muted = false;
      // The Enter key's newline was muted too.
      if ((this.#rl as unknown as { terminal: boolean }).terminal) this.#output.write('\n');
    }
  }

  /** A yes/no question; an empty answer is `fallback`. */
  async confirm(question: string, fallback = false): Promise<boolean> {
    const answer = (await this.ask(`${question} ${fallback ? '[Y/n]' : '[y/N]'}: `)).toLowerCase();
    return answer === '' ? fallback : answer === 'y' || answer === 'yes';
  }

  /** Release the input (so the process can exit); a later question no line already read answers rejects with CommandError. */
  close(): void {
    this.#rl.close();
  }

  #nextLine(): Promise<string> {
    const queued = this.#lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#closed) return Promise.reject(new CommandError('Input ended before every question was answered.'));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }
}
