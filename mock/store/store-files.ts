import { constants } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';

/**
 * Every file the store creates holds key hashes and user records: owner-only
 * (issue 12 item 9). The mode applies when a file is created; a temp file
 * renamed over the snapshot keeps it.
 */
export const STORE_FILE_MODE = 0o600;

/** One open file of the store: the journal (appended) or a snapshot being written. */
export interface StoreFileHandle {
  /** Writes all of `data` at the end (journal) or after the previous write (snapshot). */
  write(data: string): Promise<void>;
  /** fdatasync: the data and the size needed to read it back, not the timestamps. */
  datasync(): Promise<void>;
  /** fsync: everything, before a rename makes the file the snapshot. */
  sync(): Promise<void>;
  /** Cuts the file back to `length` bytes (drops a failed append's partial bytes). */
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file operations the store writes through. The node implementation is
 * the real one; tests wrap it to make chosen writes fail as a full disk would.
 * (Start-up reads go straight to node:fs: see load-store.ts.)
 */
export interface StoreFiles {
  /** Opens for appending (the journal), creating it with STORE_FILE_MODE. */
  openAppend(path: string): Promise<StoreFileHandle>;
  /** Creates or truncates (a snapshot's temp file) with STORE_FILE_MODE. */
  openTruncate(path: string): Promise<StoreFileHandle>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing one is fine. */
  remove(path: string): Promise<void>;
  /** fsync of a directory: makes a rename or a new file's name survive a power loss. */
  syncDirectory(path: string): Promise<void>;
}

class NodeFileHandle implements StoreFileHandle {
  /** `dsync`: opened with O_DSYNC, so every write returns only once it is durable. */
  constructor(
    private readonly handle: FileHandle,
    private readonly dsync = false,
  ) {}
  async write(data: string): Promise<void> {
    // One buffer, written in full: FileHandle.write may write fewer bytes than asked.
    const bytes = Buffer.from(data);
    for (let done = 0; done < bytes.length;) done += (await this.handle.write(bytes, done, bytes.length - done)).bytesWritten;
  }
  datasync(): Promise<void> {
    return this.dsync ? Promise.resolve() : this.handle.datasync();
  }
  sync(): Promise<void> {
    return this.handle.sync();
  }
  truncate(length: number): Promise<void> {
    return this.handle.truncate(length);
  }
  close(): Promise<void> {
    return this.handle.close();
  }
}

// The journal is opened O_DSYNC where the platform has it: a write then is the
// write and its fdatasync in one system call and one trip to the thread pool,
// instead of two (each trip costs a wait for a pool thread and for the event loop).
const APPEND_DSYNC =
  constants.O_DSYNC === undefined ? null : constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC;

/** The real file layer (node:fs). */
export const nodeStoreFiles: StoreFiles = {
  async openAppend(path) {
    if (APPEND_DSYNC === null) return new NodeFileHandle(await open(path, 'a', STORE_FILE_MODE));
    return new NodeFileHandle(await open(path, APPEND_DSYNC, STORE_FILE_MODE), true);
  },
  async openTruncate(path) {
    return new NodeFileHandle(await open(path, 'w', STORE_FILE_MODE));
  },
  rename,
  async remove(path) {
    await rm(path, { force: true });
  },
  async syncDirectory(path) {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
