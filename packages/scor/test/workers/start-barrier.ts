/**
 * The start barrier of the multi-process store tests (SCOR-3): a worker
 * prints `ready` on stderr and waits until its parent writes `go` on stdin,
 * so that every worker starts its work at once.
 */
export async function readyThenGo(): Promise<void> {
  const go = new Promise<void>((resolve) => {
    let input = '';
    process.stdin.on('data', (d) => {
      input += String(d);
      if (input.includes('go\n')) resolve();
    });
  });
  process.stderr.write('ready\n');
  await go;
  process.stdin.pause();
}
