/**
 * Kinds of libuv resources a task test may open: servers, sockets, child processes and their
 * pipes. Counting them before and after a test file shows anything a task or a test left open.
 */
const WATCHED = new Set(['TCPServerWrap', 'TCPSocketWrap', 'ProcessWrap', 'PipeWrap', 'TLSWrap']);

export function openHandleCount(): number {
  return process.getActiveResourcesInfo().filter((name) => WATCHED.has(name)).length;
}

/** Waits (briefly) for handles closing asynchronously, then returns how many more are open than `baseline`. */
export async function leakedHandles(baseline: number): Promise<number> {
  for (let i = 0; i < 50 && openHandleCount() > baseline; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  return openHandleCount() - baseline;
}
