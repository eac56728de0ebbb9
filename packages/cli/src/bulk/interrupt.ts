// Ctrl-C during a bulk run: the first stops sending (requests in flight still get their outcome or time out), a
// second quits at once – the report already holds every line written, so --resume goes on from there either way.

/** Listen for SIGINT until the returned function is called: `first` on the first, `again` just before quitting. */
export function onInterrupt(first: () => void, again: () => void): () => void {
  let count = 0;
  const handler = () => {
    count += 1;
    if (count === 1) {
      first();
      return;
    }
    process.off("SIGINT", handler);
    again();
    // With no listener left, the signal's default action ends the process as Ctrl-C does (exit status 130).
    process.kill(process.pid, "SIGINT");
  };
  process.on("SIGINT", handler);
  return () => process.off("SIGINT", handler);
}
